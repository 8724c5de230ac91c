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
            String out = BLOCK.get().dump(var);
            return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        }
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
            java.util.StringJoiner out = new java.util.StringJoiner("\n");
            for (String line : text.split("\n", -1)) {
                out.add(line.isEmpty() ? "" : pad + line);
            }
            return out.toString();
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
