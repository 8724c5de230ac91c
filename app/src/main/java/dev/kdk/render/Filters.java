package dev.kdk.render;

import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The filters chart authors know from Helm, added to jinjava's own. */
final class Filters {
    private Filters() {
    }

    static List<Filter> all() {
        return List.of(new ToYaml(), new Indent(), new NIndent(), new Quote(), new Required());
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
            List<String> key = flatStringMapKey(var);
            if (key == null) {
                return dump(var);
            }
            return RECENT_FLAT_MAPS.get().computeIfAbsent(key, k -> dump(var));
        }

        private static String dump(Object var) {
            String out = BLOCK.get().dump(var);
            return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        }
    }

    /**
     * The YAML of recently dumped flat string maps, per thread. Templates dump the same labels and annotations in
     * every object of a cluster (a dozen times), and snakeyaml's dumper is the costliest filter; the YAML of a map of
     * strings depends only on its keys and values in order, which is the cache key, so a hit gives the same text.
     */
    private static final ThreadLocal<Map<List<String>, String>> RECENT_FLAT_MAPS = ThreadLocal.withInitial(
            () -> new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<String>, String> eldest) {
                    return size() > 32;
                }
            });

    /** {@code [k1, v1, k2, v2, ...]} in iteration order if {@code var} is a map of strings to strings, else null. */
    private static List<String> flatStringMapKey(Object var) {
        if (!(var instanceof Map<?, ?> map) || map.size() > 16) {
            return null;
        }
        String[] key = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v)) {
                return null;
            }
            key[i++] = k;
            key[i++] = v;
        }
        return List.of(key);
    }

    /** {@code x | indent(N)}: Helm's indent, N spaces before every non-empty line, the first included. */
    static class Indent implements Filter {
        @Override
        public String getName() {
            return "indent";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            int width = args.length > 0 ? Integer.parseInt(args[0].trim()) : 4;
            String pad = " ".repeat(width);
            String text = var == null ? "" : var.toString();
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

    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[ !#-\\[\\]-~]*");

    /** {@code x | quote}: a double-quoted YAML scalar of x's text; any character is escaped safely. */
    static final class Quote implements Filter {
        @Override
        public String getName() {
            return "quote";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String text = var == null ? "" : var.toString();
            if (PLAIN.matcher(text).matches()) {
                return "\"" + text + "\""; // nothing to escape: printable ASCII without `"` and `\`
            }
            String out = QUOTED.get().dump(text);
            return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        }
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
