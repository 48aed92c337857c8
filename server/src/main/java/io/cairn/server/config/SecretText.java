package io.cairn.server.config;

import io.cairn.api.config.Format;
import io.cairn.api.config.Secrets;
import io.cairn.server.errors.ServerError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config's text with its secret values sealed: each value as written is replaced by a token
 * {@code ENC(cairn:<base64url>)} (double-quoted in YAML and JSON, so the sealed text still
 * parses), or the whole content by one token. Opening the tokens gives back the text exactly;
 * masking shows {@value #MASK} in their place. What a token holds is up to a {@link Cipher}.
 */
public final class SecretText {
    /** What a reader without the reveal permission sees; written back, it keeps the value it hides. */
    public static final String MASK = "******";
    private static final String TOKEN = "ENC\\(cairn:([A-Za-z0-9_-]+)\\)";
    private static final Pattern WHOLE = Pattern.compile(TOKEN);
    private static final Pattern QUOTED = Pattern.compile("\"" + TOKEN + "\"");

    /** Seals and opens one value: the namespace's data key. */
    public interface Cipher {
        /** The token's body (base64url) for {@code clear}. */
        String seal(String clear);

        /** @throws io.cairn.server.errors.ServerException if the body does not open with this key */
        String open(String body);
    }

    /** How a read shows texts: secrets masked, or opened for one who may see them. */
    public interface Shown {
        String show(io.cairn.api.config.ConfigKey key, Format format, String text);

        /** Whether sealed values are opened (else masked). */
        boolean opens();
    }

    /** Every sealed value masked. */
    public static final Shown MASKED = new Shown() {
        @Override
        public String show(io.cairn.api.config.ConfigKey key, Format format, String text) {
            return mask(format, text);
        }

        @Override
        public boolean opens() {
            return false;
        }
    };

    private SecretText() {
    }

    public static boolean hasSecrets(Secrets s) {
        return s.getWhole() || s.getKeysCount() > 0;
    }

    /** Checks that {@code secrets} can be applied to a config of {@code format}; returns them tidied. */
    public static Secrets check(Format format, Secrets secrets) {
        if (secrets.getWhole()) {
            return Secrets.newBuilder().setWhole(true).build();
        }
        if (secrets.getKeysCount() > 0 && format != Format.PROPERTIES && format != Format.YAML && format != Format.JSON) {
            throw ServerError.CONFIG_INVALID.exception(
                    "secret keys need a properties, yaml or json config; mark a " + format + " config secret as a whole");
        }
        if (secrets.getKeysCount() > 256) {
            throw ServerError.CONFIG_INVALID.exception("at most 256 secret keys, not " + secrets.getKeysCount());
        }
        for (String key : secrets.getKeysList()) {
            if (key.isEmpty() || key.length() > 512) {
                throw ServerError.CONFIG_INVALID.exception("a secret key is 1 to 512 characters");
            }
        }
        return Secrets.newBuilder().addAllKeys(secrets.getKeysList().stream().distinct().sorted().toList()).build();
    }

    /**
     * {@code text} with the values {@code secrets} names sealed. A value already sealed stays as
     * it is (a rollback, a promotion or an approval carries its text unchanged, md5 and all);
     * sealing the whole content opens any token in it first.
     */
    public static String seal(Format format, String text, Secrets secrets, Cipher cipher) {
        if (secrets.getWhole()) {
            return WHOLE.matcher(text).matches() ? text : token(cipher.seal(open(format, text, cipher)));
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (SecretSpans.Span span : SecretSpans.find(format, text, secrets.getKeysList())) {
            String raw = text.substring(span.start(), span.end());
            if ((quoted(format) ? QUOTED : WHOLE).matcher(raw).matches()) {
                continue;
            }
            String sealed = token(cipher.seal(raw));
            out.append(text, at, span.start()).append(quoted(format) ? "\"" + sealed + "\"" : sealed);
            at = span.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** {@code text} with every token opened. */
    public static String open(Format format, String text, Cipher cipher) {
        return replace(format, text, cipher::open);
    }

    /** {@code text} with every token shown as {@value #MASK}. */
    public static String mask(Format format, String text) {
        return replace(format, text, body -> null);
    }

    /** Whether {@code text} holds a token. */
    public static boolean isSealed(String text) {
        return WHOLE.matcher(text).find();
    }

    /** What is secret in either: the whole content if either says so, and the keys of both. */
    public static Secrets both(Secrets a, Secrets b) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.getKeysList());
        keys.addAll(b.getKeysList());
        return Secrets.newBuilder().setWhole(a.getWhole() || b.getWhole()).addAllKeys(keys).build();
    }

    /**
     * {@code written} with each secret value left as {@value #MASK} replaced by the token that
     * stands there in {@code current} (the config's sealed text now): a writer who never saw a
     * secret can change the rest and keep it. {@code secrets} should name what was secret and
     * what is to be ({@link #both}), so that no masked value is missed.
     */
    public static String keepMasked(Format format, String written, Secrets secrets, Format currentFormat, String current) {
        if (current.isEmpty()) {
            return written;
        }
        if (secrets.getWhole() && written.equals(MASK) && WHOLE.matcher(current).matches()) {
            return current;
        }
        if (format != currentFormat || secrets.getKeysCount() == 0) {
            return written;
        }
        Map<String, List<String>> tokens = new HashMap<>();
        for (SecretSpans.Span s : SecretSpans.find(format, current, secrets.getKeysList())) {
            tokens.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(current.substring(s.start(), s.end()));
        }
        Map<String, Integer> seen = new HashMap<>();
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (SecretSpans.Span span : SecretSpans.find(format, written, secrets.getKeysList())) {
            int n = seen.merge(span.key(), 1, Integer::sum) - 1;
            List<String> there = tokens.getOrDefault(span.key(), List.of());
            if (span.value().equals(MASK) && n < there.size() && isSealed(there.get(n))) {
                out.append(written, at, span.start()).append(there.get(n));
                at = span.end();
            }
        }
        return out.append(written, at, written.length()).toString();
    }

    /**
     * Refuses a secret value written as {@value #MASK} with no secret behind it to keep (a
     * masked export imported elsewhere, say): it would be stored as the secret.
     */
    public static void requireNoBareMask(Format format, String text, Secrets secrets) {
        if ((secrets.getWhole() && text.equals(MASK)) || (format == Format.PROPERTIES || quoted(format))
                && SecretSpans.find(format, text, secrets.getKeysList()).stream().anyMatch(s -> s.value().equals(MASK))) {
            throw ServerError.CONFIG_INVALID.exception("a secret value is written as " + MASK
                    + " where the config holds no secret to keep: write the value itself (an export must reveal its secrets to move them)");
        }
    }

    /**
     * Refuses a sealed value that {@code secrets} would leave outside every secret value: one
     * kept (left masked) under a key no longer marked would be written in clear to a writer
     * who may never have seen it.
     */
    public static void requireSealedWhereSecret(Format format, String text, Secrets secrets) {
        if (secrets.getWhole() || !isSealed(text)) {
            return;
        }
        List<SecretSpans.Span> spans = secrets.getKeysCount() == 0 ? List.of() : SecretSpans.find(format, text, secrets.getKeysList());
        Matcher m = (quoted(format) ? QUOTED : WHOLE).matcher(text);
        while (m.find()) {
            int at = m.start();
            if (spans.stream().noneMatch(sp -> sp.start() <= at && at < sp.end())) {
                throw ServerError.CONFIG_INVALID.exception("a secret value kept as " + MASK + " stands under a key that is no "
                        + "longer secret: keep that key secret, or write a new value there");
            }
        }
    }

    private static String replace(Format format, String text, java.util.function.UnaryOperator<String> body) {
        Matcher whole = WHOLE.matcher(text);
        if (whole.matches()) {
            String clear = body.apply(whole.group(1));
            return clear == null ? MASK : clear;
        }
        boolean quoted = quoted(format);
        Matcher m = (quoted ? QUOTED : WHOLE).matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String clear = body.apply(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(clear != null ? clear : quoted ? "\"" + MASK + "\"" : MASK));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean quoted(Format format) {
        return format == Format.YAML || format == Format.JSON;
    }

    private static String token(String body) {
        return "ENC(cairn:" + body + ")";
    }
}
