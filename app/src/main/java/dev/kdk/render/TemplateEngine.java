package dev.kdk.render;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceLocator;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * jinjava, set up for chart templates: an unknown variable or filter fails the render, {@code trimBlocks} on,
 * {@code lstripBlocks} off, no nested interpretation (a value that contains {@code {{ }}} stays text), and
 * {@code {% include %}} reads from the same {@link ChartTemplates}.
 */
public final class TemplateEngine {
    private final ChartTemplates templates;
    private final Jinjava jinjava;

    public TemplateEngine(ChartTemplates templates) {
        this.templates = templates;
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withTrimBlocks(true)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withMaxRenderDepth(10)
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
    }

    /**
     * Renders template {@code name} with {@code context}.
     *
     * @return the rendered text
     * @throws TemplateException naming {@code <dir>/<template>:<line>} and jinjava's message for every fatal error
     */
    public String render(String name, Map<String, Object> context) {
        String text = templates.text(name);
        if (text == null) {
            throw new TemplateException("no template " + name + " in " + templates.displayName());
        }
        RenderResult result = jinjava.renderForResult(text, context);
        String errors = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .map(e -> templates.displayName() + "/" + name + ":" + e.getLineno() + ": " + readable(e.getMessage()))
                .distinct()
                .collect(Collectors.joining("\n"));
        if (!errors.isEmpty()) {
            throw new TemplateException(errors);
        }
        return result.getOutput();
    }

    /** jinjava's message without its exception class name, and unknown tokens said plainly. */
    private static String readable(String message) {
        String m = message == null ? "render error" : message.replaceFirst("^[A-Za-z]+Exception: ", "");
        return m.startsWith("Unknown token found: ")
                ? "unknown variable or filter `" + m.substring("Unknown token found: ".length()).trim() + "`" : m;
    }
}
