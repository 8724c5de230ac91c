package dev.kdk.render;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.tree.Node;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * jinjava, set up for chart templates: an unknown variable or filter fails the render, {@code trimBlocks} on,
 * {@code lstripBlocks} off, no nested interpretation (a value that contains {@code {{ }}} stays text), and
 * {@code {% include %}} reads from the same {@link ChartTemplates}.
 */
public final class TemplateEngine {
    private final ChartTemplates templates;
    private final JinjavaConfig config;
    private final Jinjava jinjava;
    /** Every template parsed once; jinjava's node trees are only read while rendering, so threads share them. */
    private final Map<String, Node> parsed = new HashMap<>();

    public TemplateEngine(ChartTemplates templates) {
        this.templates = templates;
        this.config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withTrimBlocks(true)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withMaxRenderDepth(10)
                .withElResolver(MethodCachingResolver.create())
                .build();
        this.jinjava = new Jinjava(config);
        Filters.all().forEach(f -> jinjava.getGlobalContext().registerFilter(f));
        jinjava.setResourceLocator(new ResourceLocator() {
            @Override
            public String getString(String fullName, java.nio.charset.Charset encoding,
                                    com.hubspot.jinjava.interpret.JinjavaInterpreter interpreter) throws IOException {
                String text = templates.text(fullName);
                if (text == null) {
                    throw new IOException("no template " + fullName + " in " + templates.displayName());
                }
                return text;
            }
        });
        for (String name : templates.templateNames()) {
            JinjavaInterpreter interpreter = interpreter(Map.of());
            parsed.put(name, interpreter.parse(templates.text(name)));
            throwIfFailed(name, interpreter.getErrors());
        }
    }

    /** An interpreter whose context reads jinjava's globals (filters, tags) without copying them. */
    private JinjavaInterpreter interpreter(Map<String, Object> bindings) {
        return new JinjavaInterpreter(jinjava, new Context(jinjava.getGlobalContext(), bindings), config);
    }

    /**
     * Renders template {@code name} with {@code context}.
     *
     * @return the rendered text
     * @throws TemplateException naming {@code <dir>/<template>:<line>} and jinjava's message for every fatal error
     */
    public String render(String name, Map<String, Object> context) {
        Node node = parsed.get(name);
        if (node == null) {
            throw new TemplateException("no template " + name + " in " + templates.displayName());
        }
        JinjavaInterpreter interpreter = interpreter(context);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output = interpreter.render(node);
            throwIfFailed(name, interpreter.getErrors());
            return output;
        } catch (InterpretException e) {
            throw new TemplateException(templates.displayName() + "/" + name + ":" + e.getLineNumber() + ": "
                    + readable(e.getMessage()));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private void throwIfFailed(String name, List<TemplateError> all) {
        String errors = all.stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .map(e -> templates.displayName() + "/" + name + ":" + e.getLineno() + ": " + readable(e.getMessage()))
                .distinct()
                .collect(Collectors.joining("\n"));
        if (!errors.isEmpty()) {
            throw new TemplateException(errors);
        }
    }

    /** jinjava's message without its exception class name, and unknown tokens said plainly. */
    private static String readable(String message) {
        String m = message == null ? "render error" : message.replaceFirst("^([a-z0-9_]+\\.)*[A-Za-z]+Exception: ", "");
        return m.startsWith("Unknown token found: ")
                ? "unknown variable or filter `" + m.substring("Unknown token found: ".length()).trim() + "`" : m;
    }
}
