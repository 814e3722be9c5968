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
 *       {@code redis://:***@cache};</li>
 *   <li>the value of a parameter whose name says it is a secret ({@code password},
 *       {@code passwd}, {@code pwd}, {@code pass}, {@code secret}, {@code token},
 *       {@code apikey}/{@code api_key}/{@code api-key}, {@code access_token},
 *       {@code client_secret}, {@code auth}, {@code credentials}, and names ending in one
 *       of those), written {@code name=value} or {@code name: value}, as in query strings,
 *       JDBC URL properties and driver messages.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    // scheme://user:password@  (the password may not contain '@', '/' or whitespace)
    private static final Pattern URL_USERINFO = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.\\-]*://[^:/@\\s]*:)([^@/\\s]+)(@)");

    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?:[a-z0-9]*[_.\\-])?(?:password|passwd|pwd|pass|secret|token|api[_\\-]?key|auth|credentials?)"
                    + "\\s*[=:]\\s*)([\"']?)([^\\s&;,\"'})\\]]+)");

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
        String result = URL_USERINFO.matcher(text).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        result = SECRET_PARAMETER.matcher(result).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        return result;
    }
}
