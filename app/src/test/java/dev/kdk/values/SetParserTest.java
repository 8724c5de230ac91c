package dev.kdk.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Helm's --set syntax, one row per rule: the argument and the YAML-ish result (flow style, via snakeyaml). */
class SetParserTest {
    private static String apply(String existingYaml, String arg, boolean forceString) {
        String yaml = unquote(existingYaml);
        ValuesTree tree = yaml.isEmpty() ? ValuesTree.empty() : ValuesParser.parse("base", yaml);
        SetParser.applyInto(tree, arg, "--set[1]", forceString);
        return flow(tree.root());
    }

    /** Table cells hold YAML in single quotes so that the CSV reader keeps their commas. */
    private static String unquote(String cell) {
        return cell.length() >= 2 && cell.startsWith("'") && cell.endsWith("'") ? cell.substring(1, cell.length() - 1) : cell;
    }

    static String flow(Object o) {
        org.yaml.snakeyaml.DumperOptions d = new org.yaml.snakeyaml.DumperOptions();
        d.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW);
        return new org.yaml.snakeyaml.Yaml(d).dump(o).trim();
    }

    @ParameterizedTest(name = "--set {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // existing values         | --set argument                  | result
        "''                        | a=b                             | {a: b}",
        "''                        | a.b.c=d                         | {a: {b: {c: d}}}",
        "''                        | a=b,c=d                         | {a: b, c: d}",
        "''                        | n=42,t=true,f=FALSE,z=0         | {n: 42, t: true, f: false, z: 0}",
        "''                        | lead=007,neg=-5,big=12345678901 | {lead: '007', neg: -5, big: 12345678901}",
        "''                        | e=                              | {e: ''}",
        "''                        | list={a,b,3}                    | {list: [a, b, 3]}",
        "''                        | list[0]=x                       | {list: [x]}",
        "''                        | list[2]=x                       | {list: [null, null, x]}",
        "''                        | list[0].name=x,list[0].v=1      | {list: [{name: x, v: 1}]}",
        "''                        | a\\.b=c                         | {a.b: c}",
        "''                        | nodeSelector.kubernetes\\.io/os=linux | {nodeSelector: {kubernetes.io/os: linux}}",
        "''                        | a=b\\,c                         | {a: 'b,c'}",
        "''                        | a=x=y                           | {a: x=y}",
        "'{a: {b: 1, c: 2}}'       | a.b=3                           | {a: {b: 3, c: 2}}",
        "'{a: {b: 1, c: 2}}'       | a.b=null                        | {a: {c: 2}}",
        "'{a: 1}'                  | a.b=2                           | {a: {b: 2}}",
        "'{l: [{x: 1}, {x: 2}]}'   | l[1].x=5                        | {l: [{x: 1}, {x: 5}]}",
    })
    void setAppliesHelmRules(String existing, String arg, String expected) {
        assertThat(apply(existing, arg, false)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "--set-string {0}")
    @CsvSource(delimiter = '|', value = {
        "n=42,t=true,x=null | {n: '42', t: 'true', x: 'null'}",
        "list={1,2}         | {list: ['1', '2']}",
    })
    void setStringKeepsStrings(String arg, String expected) {
        assertThat(apply("", arg, true)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "--set {0}")
    @CsvSource(delimiter = '|', value = {
        "novalue       | --set[1]:1:1: invalid --set `novalue`: `novalue` has no `=`: write KEY=VALUE",
        "a..b=c        | --set[1]:1:1: invalid --set `a..b=c`: empty key segment in `a..`: check for `..` or a leading `.`",
        "a[x]=1        | --set[1]:1:3: invalid --set `a[x]=1`: list index `x` is not a number",
        "a[0=1         | --set[1]:1:2: invalid --set `a[0=1`: `[` without `]`: write list[0]=value",
        "a[70000]=1    | --set[1]:1:3: invalid --set `a[70000]=1`: list index 70000 is out of range 0..65535",
        "=x            | --set[1]:1:1: invalid --set `=x`: empty key before `=`",
        "a={x,y        | --set[1]:1:6: invalid --set `a={x,y`: list value without closing `}`",
    })
    void badSyntaxNamesTheArgumentAndColumn(String arg, String message) {
        ValuesException e = catchThrowableOfType(ValuesException.class, () -> apply("", arg, false));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // base                        | overlay                      | result
        "'{a: {b: 1, c: 2}}'           | '{a: {b: 3}}'                | {a: {b: 3, c: 2}}",
        "'{a: [1, 2]}'                 | '{a: [3]}'                   | {a: [3]}",
        "'{a: {b: 1}}'                 | '{a: 5}'                     | {a: 5}",
        "'{a: 5}'                      | '{a: {b: 1}}'                | {a: {b: 1}}",
        "'{a: {b: 1, c: 2}}'           | '{a: {b: null}}'             | {a: {c: 2}}",
        "'{a: 1, b: 2}'                | '{b: null, c: 3}'            | {a: 1, c: 3}",
        "'{clusters: {x: {email: e}}}' | '{clusters: {y: {email: f}}}' | '{clusters: {x: {email: e}, y: {email: f}}}'",
    })
    void coalesceMergesMapsAndReplacesTheRest(String base, String overlay, String expected) {
        ValuesTree tree = ValuesParser.parse("base", unquote(base));
        Coalesce.into(tree, ValuesParser.parse("overlay", unquote(overlay)));
        assertThat(flow(tree.root())).isEqualTo(unquote(expected));
    }

    @org.junit.jupiter.api.Test
    void coalesceDoesNotShareStateWithTheOverlayAndTracksOrigins() {
        ValuesTree base = ValuesParser.parse("base.yaml", "a:\n  b: 1\n");
        ValuesTree overlay = ValuesParser.parse("over.yaml", "x: 1\na:\n  list: [1, 2]\n");
        Coalesce.into(base, overlay);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) ((Map<String, Object>) base.root().get("a")).get("list");
        list.add(3);
        assertThat(flow(overlay.root())).isEqualTo("{x: 1, a: {list: [1, 2]}}");
        assertThat(base.origin("a.b")).hasToString("base.yaml:2:3");
        assertThat(base.origin("a.list[1]")).hasToString("over.yaml:3:13");
        assertThat(base.origin("x")).hasToString("over.yaml:1:1");
    }

    @org.junit.jupiter.api.Test
    void setRecordsItsPositionForMessages() {
        ValuesTree tree = ValuesTree.empty();
        SetParser.applyInto(tree, "a=1,clusters.bob.email=x", "--set[2]", false);
        assertThat(tree.origin("clusters.bob.email")).hasToString("--set[2]:1:5");
    }

}
