package dev.kdk.cli;

import dev.kdk.Futures;
import dev.kdk.pki.CertificateAuthority;
import dev.kdk.render.ChartTemplates;
import dev.kdk.render.FreshPki;
import dev.kdk.render.Manifest;
import dev.kdk.render.ManifestWriter;
import dev.kdk.render.Renderer;
import dev.kdk.values.ReleaseValues;
import dev.kdk.values.ValuesLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kdk template}: renders the manifests that {@code kdk install} applies, like {@code helm template}. */
@Command(name = "template", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Render every manifest that `kdk install` applies, without touching a cluster.", "",
            "Values: values/values.yaml (built in), then each -f file, then --set, then --set-string.",
            "The two Secrets carry freshly generated certificates, as `kdk install --dry-run=client` would.",
            "", "Example:", "  kdk template -f values/example.yaml --cluster testing1"})
public class TemplateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ValuesOptions values;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
            description = "The namespace written into every object. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Render only this cluster (repeatable).")
    List<String> clusters = new ArrayList<>();

    @Option(names = {"-s", "--show-only"}, paramLabel = "TEMPLATE",
            description = {"Only render this template, such as statefulset.yaml.j2 (repeatable),"
                + " as Helm's --show-only.",
                "Certificates are generated only when a rendered template uses them."})
    List<String> showOnly = new ArrayList<>();

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Write one file per cluster (RELEASE-NAME.yaml, mode 0600) instead of printing.")
    Path outputDir;

    @Override
    public Integer call() {
        ChartTemplates templates = (values.chartTemplates == null ? ChartTemplates.embedded()
                : ChartTemplates.fromDirectory(values.chartTemplates)).only(showOnly);
        // The template engine (parsing every template) and the certificate machinery start while the values load:
        // each takes a while on a cold JVM.
        CompletableFuture<Renderer> renderer = CompletableFuture.supplyAsync(() -> new Renderer(templates));
        CompletableFuture.runAsync(CertificateAuthority::prepare);
        ReleaseValues release = new ValuesLoader().load(values.request()).only(clusters);
        List<Manifest> manifests = Futures.join(renderer).render(release, namespace, new FreshPki(release.release()));
        if (outputDir != null) {
            String name = templates.displayName();
            for (Path p : ManifestWriter.toDirectory(outputDir, release.release(), manifests, name)) {
                spec.commandLine().getErr().println("wrote " + p);
            }
        } else {
            ManifestWriter.write(manifests, templates.displayName(), spec.commandLine().getOut());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
