package dev.perpetual.internal.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The Lua scripts, each one atomic step in Redis. They run by digest ({@code EVALSHA}); a Redis that does not know
 * one yet (new, or restarted) gets its text once ({@code EVAL}), which also makes it known.
 */
enum RedisScript {

    /**
     * KEYS: expect, early, early index. ARGV: owner ({@code "<replica> <run>"}), ttl ms, member, {@code
     * "<replica> "}. → {1, micros, early[]} or {0, owner}. A registration of this replica's may be replaced: this
     * replica's own runs never expect one key at once, so it is this run registering again after Redis came back,
     * or a run that has ended.
     */
    REGISTER("""
            local t = redis.call('TIME')
            if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              local owner = redis.call('GET', KEYS[1])
              if owner and string.sub(owner, 1, #ARGV[4]) ~= ARGV[4] then return {0, owner} end
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            end
            local early = redis.call('LRANGE', KEYS[2], 0, -1)
            if #early > 0 then
              redis.call('DEL', KEYS[2])
              redis.call('ZREM', KEYS[3], ARGV[3])
            end
            return {1, t[1] * 1000000 + t[2], early}
            """),

    /** KEYS: expect, early, early index. ARGV: payload, retention ms, member, inbox prefix, inbox ttl ms. */
    ROUTE("""
            local t = redis.call('TIME')
            local entry = t[1] .. ' ' .. t[2] .. ' ' .. ARGV[1]
            local owner = redis.call('GET', KEYS[1])
            if owner then
              local inbox = ARGV[4] .. string.match(owner, '^%S+')
              redis.call('XADD', inbox, '*', 'd', entry)
              redis.call('PEXPIRE', inbox, ARGV[5])
              return {1}
            end
            redis.call('RPUSH', KEYS[2], entry)
            redis.call('PEXPIRE', KEYS[2], ARGV[2] + 60000)
            redis.call('ZADD', KEYS[3], 'NX', t[1] * 1000 + math.floor(t[2] / 1000) + ARGV[2], ARGV[3])
            return {0}
            """),

    /** KEYS: early index. ARGV: early prefix. → {member, count, …} of the deliveries whose retention passed. */
    SWEEP("""
            local t = redis.call('TIME')
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', t[1] * 1000 + math.floor(t[2] / 1000),
              'LIMIT', 0, 100)
            local out = {}
            for _, member in ipairs(due) do
              local key = ARGV[1] .. member
              out[#out + 1] = member
              out[#out + 1] = redis.call('LLEN', key)
              redis.call('DEL', key)
              redis.call('ZREM', KEYS[1], member)
            end
            return out
            """),

    /** KEYS: expect. ARGV: owner. Deletes the registration if it is still this run's. */
    UNREGISTER("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
            return {}
            """);

    private final String text;
    private final String digest;

    RedisScript(String text) {
        this.text = text;
        try {
            this.digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-1", e);
        }
    }

    List<Object> run(RedisCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
        try {
            return redis.evalsha(digest, ScriptOutputType.MULTI, keys, args);
        }
        catch (RedisNoScriptException e) {
            return redis.eval(text, ScriptOutputType.MULTI, keys, args);
        }
    }

    CompletableFuture<List<Object>> runAsync(StatefulRedisConnection<byte[], byte[]> redis, byte[][] keys,
            byte[]... args) {
        return redis.async().<List<Object>>evalsha(digest, ScriptOutputType.MULTI, keys, args)
                .toCompletableFuture().exceptionallyCompose(failure -> isNoScript(failure)
                        ? redis.async().<List<Object>>eval(text, ScriptOutputType.MULTI, keys, args)
                                .toCompletableFuture()
                        : CompletableFuture.failedFuture(failure));
    }

    private static boolean isNoScript(Throwable failure) {
        return failure instanceof RedisNoScriptException || failure.getCause() instanceof RedisNoScriptException;
    }
}
