package dev.kdk.render;

import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The filters chart authors know from Helm, added to jinjava's own. */
final class Filters {
    private Filters() {
    }

    static List<Filter> all() {
        return List.of(new ToYaml(), new Indent(), new NIndent(), new Quote(), new Required(), new B64Encode());
    }

    private static DumperOptions options(DumperOptions.FlowStyle flow, DumperOptions.ScalarStyle scalar) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(flow);
        o.setDefaultScalarStyle(scalar);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        return o;
    }

    private static final ThreadLocal<Yaml> BLOCK = ThreadLocal.withInitial(
            () -> new Yaml(options(DumperOptions.FlowStyle.BLOCK, DumperOptions.ScalarStyle.PLAIN)));
    private static final ThreadLocal<Yaml> QUOTED = ThreadLocal.withInitial(
            () -> new Yaml(options(DumperOptions.FlowStyle.FLOW, DumperOptions.ScalarStyle.DOUBLE_QUOTED)));

    /** {@code x | toyaml}: block YAML of a map, list or scalar, without the trailing newline. */
    static final class ToYaml implements Filter {
        @Override
        public String getName() {
            return "toyaml";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            List<Object> key = cacheKey(var);
            if (key == null) {
                return dump(var);
            }
            return RECENT_DUMPS.get().computeIfAbsent(key, k -> dump(var));
        }

        private static String dump(Object var) {
            return withoutFinalNewline(BLOCK.get().dump(var));
        }
    }

    /**
     * The YAML of recently dumped small values, per thread. Templates dump the same labels, annotations and resources
     * in every object of a cluster and in every cluster, and snakeyaml's dumper is the costliest filter. The YAML of a
     * tree of maps, lists and scalars depends only on its entries in order and on each scalar's type and value, which
     * is the cache key ({@link #cacheKey}), so a hit gives the same text.
     */
    private static final ThreadLocal<Map<List<Object>, String>> RECENT_DUMPS = ThreadLocal.withInitial(
            () -> new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Object>, String> eldest) {
                    return size() > 32;
                }
            });
    private static final Object MAP_START = new Object();
    private static final Object LIST_START = new Object();
    private static final Object END = new Object();
    private static final Object NULL = new Object();
    private static final int MAX_KEY = 64;

    /**
     * A flat list of {@code var}'s structure markers, keys and scalars in iteration order, if {@code var} is a map or
     * list of at most {@value #MAX_KEY} items in all whose keys are strings and whose leaves are strings, numbers,
     * booleans or null; else null. Scalars keep their types: {@code "1"} and {@code 1} give different keys.
     */
    static List<Object> cacheKey(Object var) {
        List<Object> key = new ArrayList<>();
        return var instanceof Map<?, ?> || var instanceof List<?> ? (addKey(var, key) ? key : null) : null;
    }

    private static boolean addKey(Object node, List<Object> key) {
        if (key.size() > MAX_KEY) {
            return false;
        }
        if (node instanceof Map<?, ?> map) {
            key.add(MAP_START);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    return false;
                }
                key.add(k);
                if (!addKey(e.getValue(), key)) {
                    return false;
                }
            }
            key.add(END);
            return true;
        }
        if (node instanceof List<?> list) {
            key.add(LIST_START);
            for (Object item : list) {
                if (!addKey(item, key)) {
                    return false;
                }
            }
            key.add(END);
            return true;
        }
        if (node == null || node instanceof String || node instanceof Boolean || node instanceof Integer
                || node instanceof Long || node instanceof Double || node instanceof java.math.BigInteger) {
            key.add(node == null ? NULL : node.getClass());
            key.add(node);
            return true;
        }
        return false;
    }

    /** {@code x | indent(N)}: Helm's indent, N spaces before every non-empty line, the first included. */
    static class Indent implements Filter {
        @Override
        public String getName() {
            return "indent";
        }

        /**
         * The last large input, width and result, per thread: every cluster indents the same entrypoint script
         * (small inputs are cheap, and would push it out).
         */
        private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[3]);
        private static final int LARGE = 4096;

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            int width = args.length > 0 ? Integer.parseInt(args[0].trim()) : 4;
            String text = var == null ? "" : var.toString();
            if (text.length() < LARGE) {
                return indent(text, width);
            }
            Object[] last = LAST.get();
            if (last[0] == text && last[1].equals(width)) { // the same String object: its text cannot have changed
                return last[2];
            }
            String out = indent(text, width);
            last[0] = text;
            last[1] = width;
            last[2] = out;
            return out;
        }

        private static String indent(String text, int width) {
            String pad = " ".repeat(width);
            // One pass over the lines, without a String per line: the entrypoint alone is 600 lines.
            StringBuilder out = new StringBuilder(text.length() + text.length() / 8);
            int start = 0;
            while (true) {
                int end = text.indexOf('\n', start);
                int lineEnd = end < 0 ? text.length() : end;
                if (lineEnd > start) {
                    out.append(pad).append(text, start, lineEnd);
                }
                if (end < 0) {
                    return out.toString();
                }
                out.append('\n');
                start = end + 1;
            }
        }
    }

    /** {@code x | nindent(N)}: a newline, then {@code indent(N)}. */
    static final class NIndent extends Indent {
        @Override
        public String getName() {
            return "nindent";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return "\n" + super.filter(var, interpreter, args);
        }
    }

    /** True if {@code text} is printable ASCII without {@code "} and {@code \\}: nothing to escape. */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c > '~' || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** {@code x | quote}: a double-quoted YAML scalar of x's text; any character is escaped safely. */
    static final class Quote implements Filter {
        @Override
        public String getName() {
            return "quote";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String text = var == null ? "" : var.toString();
            if (isPlain(text)) {
                return "\"" + text + "\""; // nothing to escape: printable ASCII without `"` and `\`
            }
            return withoutFinalNewline(QUOTED.get().dump(text));
        }
    }

    /**
     * {@code x | b64encode} (Helm's {@code b64enc}): standard base64, with padding, of x's text in UTF-8, or in the
     * charset named by the argument. Replaces jinjava's own, which turns its input into text through a JSON writer.
     */
    static final class B64Encode implements Filter {
        @Override
        public String getName() {
            return "b64encode";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                return null;
            }
            if (var instanceof byte[] bytes) {
                return Base64.getEncoder().encodeToString(bytes);
            }
            if (args.length > 0) {
                return Base64.getEncoder().encodeToString(var.toString().getBytes(Charset.forName(args[0])));
            }
            return base64(var.toString());
        }
    }

    /** SnakeYAML's dump ends with a newline; a filter's value goes inline in the template. */
    private static String withoutFinalNewline(String dumped) {
        return dumped.endsWith("\n") ? dumped.substring(0, dumped.length() - 1) : dumped;
    }

    /** {@code text | b64encode}: standard base64, with padding, of {@code text} in UTF-8. */
    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code x | required("message")}: x, or a render error with the message if x is missing or empty. */
    static final class Required implements Filter {
        @Override
        public String getName() {
            return "required";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            boolean empty = var == null || var instanceof String s && s.isEmpty() || var instanceof Map<?, ?> m && m.isEmpty();
            if (empty) {
                String message = args.length > 0 ? args[0] : "a required value is missing";
                throw new InterpretException(message, interpreter.getLineNumber());
            }
            return var;
        }
    }
}
