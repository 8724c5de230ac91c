package dev.kdk.values;

import dev.kdk.KdkException;
import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in the values at once; exit code 2. Its message has one problem per line. */
public class ValuesException extends KdkException {
    private final List<Problem> problems;

    public ValuesException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")), USAGE, null);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
