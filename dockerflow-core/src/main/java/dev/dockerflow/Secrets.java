package dev.dockerflow;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is stored in a check message or a log line.
 *
 * <p>Redacted, each replaced by {@code ***}:
 * <ul>
 *   <li>the password of a URL's user info: {@code postgresql://app:s3cret@db/x} becomes
 *       {@code postgresql://app:***@db/x}, {@code redis://:s3cret@cache} becomes
 *       {@code redis://:***@cache} (a password may itself hold {@code @}), and the
 *       password of Oracle's {@code jdbc:oracle:thin:scott/tiger@db} form;</li>
 *   <li>the value of a parameter whose name says it is a secret ({@code password},
 *       {@code passwd}, {@code pwd}, {@code pass}, {@code secret}, {@code token},
 *       {@code apikey}/{@code api_key}/{@code api-key}, {@code access_token},
 *       {@code client_secret}, {@code auth}, {@code credentials}, and names ending in one
 *       of those), written {@code name=value}, {@code name: value} or as a JSON member
 *       {@code "name":"value"}, as in query strings, JDBC URL properties, driver messages
 *       and error bodies;</li>
 *   <li>the credentials of an {@code Authorization} scheme: {@code Bearer ***},
 *       {@code Basic ***}.</li>
 * </ul>
 * Text longer than {@value #MAX_LENGTH} characters is cut to that length first, so a
 * huge exception message costs little and never floods a payload. Stateless and
 * thread-safe.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /** The longest text kept; longer text is cut to this many characters before redaction. */
    public static final int MAX_LENGTH = 4096;

    // scheme://user:password@  (greedy up to the authority's last '@'; bounded so matching stays linear)
    private static final Pattern URL_USERINFO = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.\\-]{0,31}://[^:/@\\s]{0,256}:)([^/\\s]{1,512}?)(@[^@/\\s]*(?:[/\\s]|$))");

    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?:[a-z0-9]{0,32}[_.\\-])?(?:password|passwd|pwd|pass|secret|token|api[_\\-]?key|auth|credentials?)"
                    + "[\"']?\\s{0,8}[=:]\\s{0,8})([\"']?)([^\\s&;,\"'})\\]]+)");

    // Oracle's user/password@host form: jdbc:oracle:thin:scott/tiger@db:1521:orcl
    private static final Pattern SLASH_CREDENTIALS = Pattern.compile(
            "(?i)(jdbc:oracle:(?:thin|oci8?):[^/\\s@]{0,128}/)([^\\s]{1,512}?)(@[^@\\s]*(?:\\s|$))");

    private static final Pattern AUTHORIZATION_SCHEME = Pattern.compile(
            "(?i)(\\b(?:bearer|basic)\\s{1,8})([A-Za-z0-9._~+/\\-]+=*)");

    private Secrets() {
    }

    /**
     * Returns {@code text} with every password and token it carries replaced by {@code ***}.
     *
     * @param text any text; {@code null} gives {@code null}
     * @return the text without secrets
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "..." : text;
        result = URL_USERINFO.matcher(result).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        result = SLASH_CREDENTIALS.matcher(result).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        result = SECRET_PARAMETER.matcher(result).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        result = AUTHORIZATION_SCHEME.matcher(result).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + MASK));
        return result;
    }
}
