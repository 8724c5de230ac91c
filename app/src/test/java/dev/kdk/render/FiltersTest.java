package dev.kdk.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The filters chart authors rely on, through the real engine: what they print and how they fail. */
class FiltersTest {
    @TempDir
    Path dir;

    private String render(String template, Map<String, Object> context) throws IOException {
        Files.writeString(dir.resolve("t.yaml.j2"), template);
        return new TemplateEngine(ChartTemplates.fromDirectory(dir)).render("t.yaml.j2", context);
    }

    @Test
    void quoteKeepsAnyStringOneSafeScalar() throws IOException {
        String nasty = "a\"b\\c\nkey: injected\t# not a comment: {x}";
        String out = render("v: {{ s | quote }}\nplain: {{ p | quote }}\nn: {{ n | quote }}\n",
                Map.of("s", nasty, "p", "kdk-testing1", "n", 16443));
        Map<String, Object> parsed = new Yaml().load(out);
        assertThat(parsed).containsExactly(Map.entry("v", nasty), Map.entry("plain", "kdk-testing1"),
                Map.entry("n", "16443"));
    }

    @Test
    void toyamlIndentAndNindentNestBlocksAsHelmDoes() throws IOException {
        Map<String, Object> labels = Map.of("app.kubernetes.io/name", "kdk");
        String out = render("metadata:\n  labels:{{ l | toyaml | nindent(4) }}\nlist:\n{{ xs | toyaml | indent(2) }}\n",
                Map.of("l", labels, "xs", List.of("a", "b: c")));
        // snakeyaml indents list items under their parent (valid YAML, two spaces deeper than Helm's toYaml)
        assertThat(out).isEqualTo("metadata:\n  labels:\n    app.kubernetes.io/name: kdk\nlist:\n    - a\n    - 'b: c'\n");
        Map<String, Object> parsed = new Yaml().load(out);
        assertThat(parsed).containsEntry("list", List.of("a", "b: c"));
    }

    @Test
    void requiredFailsWithTheTemplateLineAndMessage() throws IOException {
        TemplateException e = catchThrowableOfType(TemplateException.class,
                () -> render("a: 1\nb: {{ v | required(\"set values.v\") }}\n", Map.of("v", "")));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(dir + "/t.yaml.j2:2: set values.v");
        assertThat(render("b: {{ v | required(\"set values.v\") }}", Map.of("v", "x"))).isEqualTo("b: x");
    }

    @Test
    void b64encodeEncodesUtf8() throws IOException {
        assertThat(render("{{ s | b64encode }}", Map.of("s", "é\n"))).isEqualTo("w6kK");
    }

    private static Map<String, Object> ordered(String... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void toyamlOfEqualMapsInAnotherOrderKeepsThatOrder() {
        Filters.ToYaml toyaml = new Filters.ToYaml();
        // Equal as maps, but YAML lists keys in iteration order: a memoized result must not leak across orders.
        assertThat(toyaml.filter(ordered("a", "1", "b", "2"), null)).isEqualTo("a: '1'\nb: '2'");
        assertThat(toyaml.filter(ordered("b", "2", "a", "1"), null)).isEqualTo("b: '2'\na: '1'");
        assertThat(toyaml.filter(ordered("a", "1", "b", "2"), null)).isEqualTo("a: '1'\nb: '2'");
    }

    @Test
    void toyamlOfNestedAndNonStringValues() {
        Filters.ToYaml toyaml = new Filters.ToYaml();
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("limits", ordered("cpu", "2"));
        nested.put("replicas", 3);
        assertThat(toyaml.filter(nested, null)).isEqualTo("limits:\n  cpu: '2'\nreplicas: 3");
        assertThat(toyaml.filter(Map.of(), null)).isEqualTo("{}");
        // Remembered dumps tell equal-looking trees apart by their scalars' types, nulls and nesting.
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("limits", Map.of("cpu", 2));
        numbers.put("replicas", "3");
        assertThat(toyaml.filter(numbers, null)).isEqualTo("limits:\n  cpu: 2\nreplicas: '3'");
        assertThat(toyaml.filter(java.util.Arrays.asList(List.of(), null), null)).isEqualTo("  - []\n  - null"); // lists come out indented by two, as noted in the README
        assertThat(toyaml.filter(List.of(java.util.Arrays.asList((Object) null)), null)).isEqualTo("  -   - null");
    }

    @Test
    void indentPadsEveryNonEmptyLineAndKeepsEmptyOnes() {
        Filters.Indent indent = new Filters.Indent();
        assertThat(indent.filter("a\n\n b\n", null, "2")).isEqualTo("  a\n\n   b\n");
        assertThat(indent.filter("", null, "4")).isEqualTo("");
        assertThat(indent.filter("\n", null, "4")).isEqualTo("\n");
        assertThat(new Filters.NIndent().filter("x", null, "3")).isEqualTo("\n   x");
    }

    /** Overloads told apart only by their argument's class. */
    public static final class Overloads {
        public String f(String s) {
            return "string " + s;
        }

        public String f(Long n) {
            return "number " + n;
        }
    }

    @Test
    void rememberedMethodLookupsStillFollowTheArgumentsClasses() throws IOException {
        Files.writeString(dir.resolve("t.yaml.j2"), "{{ o.f(\"a\") }} {{ o.f(2) }} {{ o.f(\"b\") }} {{ o.f(3) }}");
        TemplateEngine engine = new TemplateEngine(ChartTemplates.fromDirectory(dir));
        for (int i = 0; i < 2; i++) { // the second round is served from the remembered lookups
            assertThat(engine.render("t.yaml.j2", Map.of("o", new Overloads())))
                    .isEqualTo("string a number 2 string b number 3");
        }
    }
}
