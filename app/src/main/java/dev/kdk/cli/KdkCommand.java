package dev.kdk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: {@code kdk}. */
@Command(name = "kdk", mixinStandardHelpOptions = true, versionProvider = KdkCommand.Version.class,
        description = {"Private, disposable Kubernetes clusters for every developer, inside the team's cluster.",
            "",
            "Admins list developers in a values file and run `kdk install`; developers run `kdk connect NAME`."},
        usageHelpAutoWidth = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Success.", "1:Failure talking to the cluster or the local system.",
            "2:Invalid input (values, flags, templates); nothing was written."})
public class KdkCommand {
    /** Every subcommand, in the order {@code kdk --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(TemplateCommand.class, InstallCommand.class,
            UninstallCommand.class, ListCommand.class, StatusCommand.class, RotateCertsCommand.class,
            ConnectCommand.class, KubeconfigCommand.class, CompletionCommand.class);

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print stack traces and debug detail on errors.")
    boolean verbose;

    public boolean verbose() {
        return verbose;
    }

    /**
     * The command line for {@code root} and {@code args}. When {@code args[0]} names a subcommand, only that one is
     * added: picocli builds its model of every added command up front, and all nine cost about 0.1 s of each cold
     * start. Otherwise ({@code kdk --help}, a typo that deserves suggestions) all are added.
     */
    public static CommandLine commandLine(KdkCommand root, String... args) {
        CommandLine cmd = new CommandLine(root);
        boolean one = args.length > 0 && SUBCOMMANDS.stream().anyMatch(sub -> named(sub, args[0]));
        for (Class<?> sub : SUBCOMMANDS) {
            if (!one || named(sub, args[0])) {
                cmd.addSubcommand(sub);
            }
        }
        return cmd;
    }

    /** Whether {@code word} is the name or an alias of {@code sub}. */
    private static boolean named(Class<?> sub, String word) {
        Command c = sub.getAnnotation(Command.class);
        return c.name().equals(word) || List.of(c.aliases()).contains(word);
    }

    /** Reads the version Maven wrote into {@code kdk-version.properties}. */
    public static class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = KdkCommand.class.getResourceAsStream("/kdk-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"kdk " + p.getProperty("version", "unknown")};
        }
    }
}
