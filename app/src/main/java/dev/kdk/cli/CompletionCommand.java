package dev.kdk.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kdk completion bash|zsh}: prints a shell completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for bash or zsh.", "",
            "bash:  source <(kdk completion bash)",
            "zsh:   autoload -U +X bashcompinit && bashcompinit && source <(kdk completion zsh)"})
public class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", completionCandidates = Shells.class)
    String shell;

    @Override
    public void run() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unsupported shell '" + shell + "': use bash or zsh");
        }
        // picocli's script works in bash and, through bashcompinit, in zsh. It covers every command: the tree this
        // run parsed holds only this one.
        spec.commandLine().getOut().print(AutoComplete.bash("kdk", KdkCommand.commandLine(new KdkCommand())));
        spec.commandLine().getOut().flush();
    }

    static class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("bash", "zsh").iterator();
        }
    }
}
