package dev.kdk.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CertificatePolicyTest {
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final CertificateAuthority CA = CertificateAuthority.generate("kdk-testing1-ca",
            Duration.ofDays(3650), ISSUED);
    /** Valid from ISSUED (minus the backdate) to ISSUED + 365 days = 2027-01-01T00:00:00Z. */
    private static final IssuedCertificate CLIENT = CA.issueClient("dev@example.com", List.of("system:masters"),
            Duration.ofDays(365), ISSUED);

    static Stream<Arguments> table() {
        Instant notAfter = CLIENT.notAfter();
        return Stream.of(
                // existing, email, now, reason (null = keep)
                Arguments.of(null, "dev@example.com", ISSUED, "client certificate missing"),
                Arguments.of(CLIENT, "dev@example.com", ISSUED.plus(Duration.ofDays(1)), null),
                Arguments.of(CLIENT, "dev@example.com", notAfter.minus(RENEW_BEFORE).minusSeconds(1), null),
                Arguments.of(CLIENT, "dev@example.com", notAfter.minus(RENEW_BEFORE),
                        "client certificate expires 2027-01-01T00:00:00Z, within 30 days"),
                Arguments.of(CLIENT, "dev@example.com", notAfter.minus(Duration.ofDays(3)),
                        "client certificate expires 2027-01-01T00:00:00Z, within 30 days"),
                Arguments.of(CLIENT, "dev@example.com", notAfter.plusSeconds(1),
                        "client certificate expired 2027-01-01T00:00:00Z"),
                Arguments.of(CLIENT, "new@example.com", ISSUED.plus(Duration.ofDays(1)),
                        "client certificate belongs to dev@example.com, owner is now new@example.com"),
                Arguments.of(CLIENT, "Dev@example.com", ISSUED.plus(Duration.ofDays(1)),
                        "client certificate belongs to dev@example.com, owner is now Dev@example.com"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void reissueWhenMissingExpiringOrOwnedBySomeoneElse(IssuedCertificate existing, String email, Instant now,
            String reason) {
        assertThat(CertificatePolicy.reissueReason(existing, CA, email, RENEW_BEFORE, now))
                .isEqualTo(Optional.ofNullable(reason));
        assertThat(CertificatePolicy.needsReissue(existing, email, RENEW_BEFORE, now)).isEqualTo(reason != null);
    }

    @Test
    void reissueWhenTheClusterCaDidNotSignIt() {
        CertificateAuthority replaced = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(3650), ISSUED);
        Instant now = ISSUED.plus(Duration.ofDays(1));

        assertThat(CertificatePolicy.reissueReason(CLIENT, replaced, "dev@example.com", RENEW_BEFORE, now))
                .contains("client certificate was not signed by the cluster CA");
        assertThat(CertificatePolicy.signedBy(CLIENT.certificate(), CA)).isTrue();
        assertThat(CertificatePolicy.signedBy(CLIENT.certificate(), replaced)).isFalse();
        // Without a CA only the brief's three rules apply.
        assertThat(CertificatePolicy.reissueReason(CLIENT, null, "dev@example.com", RENEW_BEFORE, now)).isEmpty();
    }
}
