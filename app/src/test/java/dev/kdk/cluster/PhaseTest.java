package dev.kdk.cluster;

import static dev.kdk.cluster.ClusterFixtures.condition;
import static dev.kdk.cluster.ClusterFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PhaseTest {
    static final String NS = "ns";
    static final String POD = "kdk-a-0";

    static Pod creating() {
        return ClusterFixtures.pod(NS, "a").withNewStatus().withPhase("Pending")
                .addToConditions(condition("PodScheduled", "True", null, null))
                .addToContainerStatuses(new ContainerStatusBuilder().withName("kdk").withNewState().withNewWaiting()
                        .withReason("ContainerCreating").endWaiting().endState().build())
                .endStatus().build();
    }

    static Stream<Arguments> cases() {
        Event scheduled = event(NS, POD, "e1", "Normal", "Scheduled", "assigned", "2026-01-01T00:00:00Z");
        Event pulling = event(NS, POD, "e2", "Normal", "Pulling", "Pulling image \"x\"", "2026-01-01T00:00:01Z");
        Event pulled = event(NS, POD, "e3", "Normal", "Pulled", "Successfully pulled", "2026-01-01T00:00:09Z");
        Event mount = event(NS, POD, "e4", "Warning", "FailedMount", "MountVolume.SetUp failed\nfor volume \"pki\"",
                "2026-01-01T00:00:10Z");
        Event unhealthy = event(NS, POD, "e5", "Warning", "Unhealthy", "Readiness probe failed: curl: (7)",
                "2026-01-01T00:00:20Z");
        return Stream.of(
                Arguments.of("no pod", null, List.of(), Phase.Pending, "no pod yet"),
                Arguments.of("unschedulable", ClusterFixtures.pod(NS, "a").withNewStatus().withPhase("Pending")
                        .addToConditions(condition("PodScheduled", "False", "Unschedulable",
                                "0/3 nodes are available: 3 Insufficient memory."))
                        .endStatus().build(), List.of(), Phase.Pending,
                        "Unschedulable: 0/3 nodes are available: 3 Insufficient memory."),
                Arguments.of("pulling", creating(), List.of(scheduled, pulling), Phase.Pulling, "Pulling image \"x\""),
                Arguments.of("pulled, creating", creating(), List.of(pulled, pulling), Phase.Pending,
                        "ContainerCreating"),
                Arguments.of("volume fails", creating(), List.of(pulling, mount), Phase.Pending,
                        "FailedMount: MountVolume.SetUp failed for volume \"pki\""),
                Arguments.of("running, probe failing", ClusterFixtures.starting(NS, "a", "2026-01-01T00:00:00Z"),
                        List.of(unhealthy), Phase.Starting, "readiness: Readiness probe failed: curl: (7)"),
                Arguments.of("running, no probe result", ClusterFixtures.starting(NS, "a", "2026-01-01T00:00:00Z"),
                        List.of(), Phase.Starting, "waiting for the inner API server to answer /readyz"),
                Arguments.of("ready", ClusterFixtures.ready(NS, "a", 0, "2026-01-01T00:00:00Z"), List.of(unhealthy),
                        Phase.Ready, ""),
                Arguments.of("image pull back-off", ClusterFixtures.imagePullBackOff(NS, "a"), List.of(),
                        Phase.Failed, "ImagePullBackOff: Back-off pulling image "
                                + "\"registry.example.org/kdk/kdk-node:0.1.0\""),
                Arguments.of("crash loop", ClusterFixtures.pod(NS, "a").withNewStatus().withPhase("Running")
                        .addToContainerStatuses(new ContainerStatusBuilder().withName("kdk").withRestartCount(5)
                                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                                .withMessage("back-off 5m0s restarting failed container").endWaiting().endState()
                                .build()).endStatus().build(), List.of(), Phase.Failed,
                        "CrashLoopBackOff: back-off 5m0s restarting failed container"),
                Arguments.of("exited", ClusterFixtures.pod(NS, "a").withNewStatus().withPhase("Running")
                        .addToContainerStatuses(new ContainerStatusBuilder().withName("kdk").withNewState()
                                .withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endState()
                                .build()).endStatus().build(), List.of(), Phase.Failed,
                        "container kdk exited with code 1 (Error)"),
                Arguments.of("evicted", ClusterFixtures.pod(NS, "a").withNewStatus().withPhase("Failed")
                        .withReason("Evicted").withMessage("The node was low on resource: ephemeral-storage.")
                        .endStatus().build(), List.of(), Phase.Failed,
                        "Evicted: The node was low on resource: ephemeral-storage."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifies(String name, Pod pod, List<Event> events, Phase phase, String reason) {
        assertThat(Phase.of(pod, events)).isEqualTo(new Phase.Reasoned(phase, reason));
    }
}
