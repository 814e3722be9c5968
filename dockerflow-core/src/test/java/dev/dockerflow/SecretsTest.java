package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "postgresql://app:s3cret@db:5432/app|postgresql://app:***@db:5432/app",
        "jdbc:mysql://root:s3cret@127.0.0.1:3306/test|jdbc:mysql://root:***@127.0.0.1:3306/test",
        "redis://:s3cret@cache:6379/0|redis://:***@cache:6379/0",
        "rediss://default:s%40cret@cache|rediss://default:***@cache",
        "jdbc:postgresql://db/app?user=app&password=s3cret&ssl=true|jdbc:postgresql://db/app?user=app&password=***&ssl=true",
        "jdbc:sqlserver://db;user=sa;password=s3cret;encrypt=true|jdbc:sqlserver://db;user=sa;password=***;encrypt=true",
        "GET /cb?access_token=abc.def&state=1|GET /cb?access_token=***&state=1",
        "token=abc123|token=***",
        "TOKEN: abc123|TOKEN: ***",
        "api_key=xyz apikey=xyz|api_key=*** apikey=***",
        "db_password='s3cret' more|db_password='***' more",
        "client_secret=xyz|client_secret=***",
        "postgresql://app:p@ss@db:5432/app|postgresql://app:***@db:5432/app",
        "failed (redis://:pw@cache:6379) twice|failed (redis://:***@cache:6379) twice",
        "{\"user\":\"app\",\"password\":\"s3cret\"}|{\"user\":\"app\",\"password\":\"***\"}",
        "Authorization: Bearer abc.def-ghi_jkl|Authorization: Bearer ***",
        "auth header basic dXNlcjpwYXNz==|auth header basic ***",
        "jdbc:oracle:thin:scott/tiger@db:1521:orcl|jdbc:oracle:thin:scott/***@db:1521:orcl",
        "pool (jdbc:oracle:thin:app/p@ss@db:1521/svc) down|pool (jdbc:oracle:thin:app/***@db:1521/svc) down",
    })
    void secretsAreMasked(String input, String expected) {
        assertThat(Secrets.redact(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FATAL: password authentication failed for user \"app\"",
        "Connection refused: 127.0.0.1:5432",
        "https://example.org/path?user=app",
        "no secrets here",
        "tokens were exchanged",
    })
    void textWithoutSecretsIsUnchanged(String input) {
        assertThat(Secrets.redact(input)).isEqualTo(input);
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Timeout(20) // the unbounded patterns took over a minute on 100k characters
    void hugeTextIsCutAndRedactedWithoutBacktrackingBlowUp() {
        String huge = "x".repeat(100_000) + " password=s3cret " + "y".repeat(100_000);
        String hostile = ("a://" + "b".repeat(300) + ":").repeat(2_000);
        String redacted = Secrets.redact(huge);
        assertThat(Secrets.redact(hostile)).hasSize(Secrets.MAX_LENGTH + 3);
        assertThat(redacted).hasSize(Secrets.MAX_LENGTH + 3).endsWith("...");
        assertThat(Secrets.redact("p".repeat(5000) + "token=abc")).doesNotContain("abc");
    }

    @org.junit.jupiter.api.Test
    void nullAndEmptyPassThrough() {
        assertThat(Secrets.redact(null)).isNull();
        assertThat(Secrets.redact("")).isEmpty();
    }
}
