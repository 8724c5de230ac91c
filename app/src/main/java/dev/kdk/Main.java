package dev.kdk;

import dev.kdk.cli.KdkCommand;
import dev.kdk.kube.KubeClients;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Entry point: builds the command line, and is the only place that prints errors and picks the exit code: every
 * failure is printed as {@code error: ...} lines on stderr (a stack trace only with {@code -v}); exit code 2 for bad
 * input (picocli's parameter errors, {@link KdkException#USAGE}), 1 for other failures.
 */
public final class Main {
    private Main() {
    }

    /** Commands that talk to the host cluster: kdk starts loading the client for them while it parses arguments. */
    private static final java.util.Set<String> HOST_COMMANDS = java.util.Set.of("connect", "kubeconfig", "install",
            "uninstall", "list", "status", "rotate-certs");

    public static void main(String[] args) {
        if (args.length > 0 && HOST_COMMANDS.contains(args[0])) {
            KubeClients.prepare();
        }
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        KubeClients.shutdown(Duration.ofSeconds(1));
        System.exit(code);
    }

    /** Runs kdk with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        KdkCommand root = new KdkCommand();
        CommandLine cmd = KdkCommand.commandLine(root, args);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (root.verbose()) {
                e.printStackTrace(err);
            }
            int code = e instanceof KdkException k ? k.exitCode() : KdkException.FAILURE;
            String message = e instanceof KdkException ? e.getMessage() : describe(e);
            for (String line : message.split("\n")) {
                err.println("error: " + line);
            }
            if (!root.verbose() && !(e instanceof KdkException)) {
                err.println("(run with -v for the stack trace)");
            }
            err.flush();
            return code;
        });
        cmd.setParameterExceptionHandler((e, ignored) -> {
            // bad input: the same "error: ..." line as every other failure, then where to find the usage
            CommandLine failed = e.getCommandLine();
            err.println("error: " + e.getMessage().replaceAll("\\s*\\n\\s*", " ").trim());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("run `" + failed.getCommandSpec().qualifiedName() + " --help` for usage");
            err.flush();
            return KdkException.USAGE;
        });
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
