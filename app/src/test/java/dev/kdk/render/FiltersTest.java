package dev.kdk.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
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
    }

    @Test
    void indentPadsEveryNonEmptyLineAndKeepsEmptyOnes() {
        Filters.Indent indent = new Filters.Indent();
        assertThat(indent.filter("a\n\n b\n", null, "2")).isEqualTo("  a\n\n   b\n");
        assertThat(indent.filter("", null, "4")).isEqualTo("");
        assertThat(indent.filter("\n", null, "4")).isEqualTo("\n");
        assertThat(new Filters.NIndent().filter("x", null, "3")).isEqualTo("\n   x");
    }
}
