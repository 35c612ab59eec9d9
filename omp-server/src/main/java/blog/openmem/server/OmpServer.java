package blog.openmem.server;

import blog.openmem.core.Memory;
import blog.openmem.core.MemoryBuilder;
import blog.openmem.core.RequestIds;
import blog.openmem.spi.error.ErrorCode;
import blog.openmem.spi.error.ErrorEnvelope;
import blog.openmem.spi.error.OmpErrors;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.UnauthorizedException;
import blog.openmem.spi.json.OmpJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The OMP HTTP server (CONTRACT §9-§10): one {@link Memory} per process, created at start so bad
 * configuration fails the start, closed on shutdown.
 */
public final class OmpServer implements AutoCloseable {
    private static final Set<String> OPEN_PATHS = Set.of("/capabilities", "/healthz");

    private final ServerConfig config;
    private final Memory memory;
    private final ApiKeys keys;
    private final Javalin app;
    private final PrintStream accessLog;

    private OmpServer(ServerConfig config, Memory memory, ApiKeys keys, PrintStream accessLog) {
        this.config = config;
        this.memory = memory;
        this.keys = keys;
        this.accessLog = accessLog;
        byte[] openapi = resource("/openapi.json");
        Routes routes = new Routes(memory, config.maxRequestBytes(), openapi);
        this.app = Javalin.create(cfg -> {
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.http.maxRequestSize = config.maxRequestBytes();
            cfg.http.prefer405over404 = true;
            cfg.startup.showJavalinBanner = false;
            JsonErrorHandler jettyErrors = new JsonErrorHandler(this::accessLine);
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(10_000);
                server.setErrorHandler(jettyErrors);
            });
            cfg.jetty.modifyServletContextHandler(handler -> {
                handler.insertHandler(BodyDeadline.chain(config.maxRequestBytes(), config.bodyTimeoutMs()));
                handler.setErrorHandler(jettyErrors);
            });
            if (!config.corsOrigins().isEmpty()) {
                // Javalin's CORS support answers preflights (before any auth, see beforeEach) and gives
                // allow headers only to the configured origins.
                cfg.registerPlugin(new io.javalin.plugin.bundled.CorsPlugin(cors -> cors.addRule(rule -> {
                    if (config.corsOrigins().contains("*")) {
                        rule.anyHost();
                    } else {
                        rule.allowHost(config.corsOrigins().get(0), config.corsOrigins().subList(1,
                                config.corsOrigins().size()).toArray(String[]::new));
                    }
                    rule.exposeHeader("X-Request-Id");
                    rule.maxAge = 600;
                })));
            }
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            cfg.requestLogger.http(this::logRequest);
            cfg.routes.before(this::beforeEach);
            cfg.routes.get("/capabilities", routes::capabilities);
            cfg.routes.get("/healthz", routes::healthz);
            cfg.routes.get("/openapi.json", routes::openapi);
            cfg.routes.post("/memories", routes::add);
            cfg.routes.get("/memories", routes::list);
            // Search is declared before /memories/{id} so it is never taken for an id.
            cfg.routes.get("/memories/search", routes::searchGet);
            cfg.routes.post("/memories/search", routes::searchPost);
            cfg.routes.get("/memories/{id}", routes::get);
            cfg.routes.patch("/memories/{id}", routes::update);
            cfg.routes.delete("/memories/{id}", routes::delete);
            cfg.routes.post("/context", routes::context);
            cfg.routes.get("/audit", routes::audit);
            cfg.routes.exception(OmpException.class, (e, ctx) -> error(ctx, e));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> fromJavalin(ctx, e));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LoggerFactory.getLogger(OmpServer.class).error("unexpected failure, request {}",
                        ctx.attribute(Routes.REQUEST_ID), e);
                envelope(ctx, 500, OmpErrors.internal(ctx.attribute(Routes.REQUEST_ID)));
            });
            cfg.routes.error(404, OmpServer::routerError);
            cfg.routes.error(405, OmpServer::routerError);
        });
    }

    /**
     * Starts a server.
     *
     * @param config the configuration
     * @return the running server
     * @throws blog.openmem.spi.error.ConfigurationException for bad configuration
     */
    public static OmpServer start(ServerConfig config) {
        return start(config, System.out);
    }

    static OmpServer start(ServerConfig config, PrintStream accessLog) {
        ApiKeys keys = config.apiKeysFile() == null ? ApiKeys.none() : ApiKeys.load(config.apiKeysFile());
        Memory memory = openMemory(config);
        try {
            memory.capabilities();
            OmpServer server = new OmpServer(config, memory, keys, accessLog);
            server.app.start();
            return server;
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    /** The one {@link Memory} the server (or the reembed command) works through. */
    static Memory openMemory(ServerConfig config) {
        MemoryBuilder b = Memory.builder().config(config.provider()).settings(config.providerSettings());
        // What the provider asks of a server (postgres: a pool that fails fast in an outage), unless
        // configured: as a flag's setting, or as OMP_<ID>_<KEY> in the environment.
        String id = config.providerName();
        var providers = blog.openmem.core.registry.ProviderRegistry.getDefault().providers();
        if (providers.has(id)) { // an unknown provider is said by build(), with the providers there are
            providers.find(id).serverDefaults().forEach((key, value) -> {
                String env = ("OMP_" + id + "_" + key).toUpperCase(java.util.Locale.ROOT);
                if (!config.providerSettings().containsKey(key) && System.getenv(env) == null) {
                    b.setting(key, value);
                }
            });
        }
        if (config.embedder() != null) {
            b.embedder(config.embedder());
        }
        return b.build();
    }

    /** @return the port actually bound */
    public int port() {
        return app.port();
    }

    /** @return the start line of CONTRACT §10 */
    public String startLine() {
        return "omp-server: serving " + config.providerName() + " at http://" + config.host() + ":" + port()
                + (keys.enabled() ? "" : " (open access: no API keys configured)");
    }

    /** Stops taking requests, lets running ones finish (up to 10 s), then closes the provider. */
    @Override
    public void close() {
        app.stop();
        memory.close();
    }

    // ------------------------------------------------------------------ per request

    private void beforeEach(Context ctx) {
        String rid = ctx.header("X-Request-Id");
        if (rid == null || !Http.REQUEST_ID.matcher(rid).matches()) {
            rid = RequestIds.next();
        }
        ctx.attribute(Routes.REQUEST_ID, rid);
        ctx.header("X-Request-Id", rid);
        if (ctx.method() == io.javalin.http.HandlerType.OPTIONS) {
            // A browser's preflight never carries credentials: the CORS plugin answers it.
            return;
        }
        if (keys.enabled() && !OPEN_PATHS.contains(ctx.path())) {
            String key = ctx.header("X-API-Key");
            String auth = ctx.header("Authorization");
            if (key == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = auth.substring(7).trim();
            }
            Principal p = keys.authenticate(key).orElseThrow(() -> new UnauthorizedException(
                    "a valid API key is required (Authorization: Bearer <key> or X-API-Key)"));
            ctx.attribute(Routes.PRINCIPAL, p);
        } else if (!keys.enabled()) {
            // Open server (trusted network): the client may name its app for the audit log (D-11).
            // With keys the key's app always wins and this header is ignored.
            String app = ctx.header(Http.APP_HEADER);
            if (app != null && Http.APP.matcher(app).matches()) {
                ctx.attribute(Routes.PRINCIPAL, Principal.OPEN.withApp(app));
            }
        }
        Http.query(ctx.queryString());
    }

    private void logRequest(Context ctx, Float ms) {
        accessLine(ctx.method().name(), ctx.path(), ctx.statusCode(), ms, ctx.attribute(Routes.REQUEST_ID));
    }

    /** One access-log line: of a routed request, or of one Jetty answered itself (JsonErrorHandler). */
    private void accessLine(String method, String path, int status, float ms, String requestId) {
        if (accessLog == null || config.logLevel().equals("error") || config.logLevel().equals("warn")) {
            return;
        }
        // Method, path, status, latency, request id: never bodies, query strings, user ids or keys.
        accessLog.println(String.format(java.util.Locale.ROOT, "%s %s %d %.1fms %s", Http.shorten(method),
                Http.shorten(path == null ? "-" : path), status, ms, requestId));
    }

    private static ErrorEnvelope body(ErrorCode code, String message, Context ctx) {
        return new ErrorEnvelope(new ErrorEnvelope.Body(code.code(), message, code.type(), null,
                ctx.attribute(Routes.REQUEST_ID)));
    }

    private void error(Context ctx, OmpException e) {
        ErrorEnvelope env = e.toEnvelope();
        String rid = ctx.attribute(Routes.REQUEST_ID);
        env = new ErrorEnvelope(new ErrorEnvelope.Body(env.error().code(), env.error().message(), env.error().type(),
                env.error().provider(), rid));
        int status = e.httpStatus() == 0 ? 500 : e.httpStatus();
        e.retryAfter().ifPresent(d -> ctx.header("Retry-After", String.valueOf(Math.max(1, d.toSeconds()))));
        envelope(ctx, status, env);
    }

    /** No route or wrong method, when no handler has written an envelope yet. */
    private static void routerError(Context ctx) {
        if (ctx.attribute("omp.enveloped") == null) {
            fromJavalin(ctx, new HttpResponseException(ctx.statusCode(), ""));
        }
    }

    /** Javalin's own rejections (no route, wrong method, body too large) in the same envelope. */
    private static void fromJavalin(Context ctx, HttpResponseException e) {
        int status = e.getStatus();
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 401 -> ErrorCode.UNAUTHORIZED;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        };
        String message = switch (status) {
            case 404 -> "no route " + ctx.method() + " " + Http.shorten(ctx.path());
            case 405 -> "method " + ctx.method() + " is not allowed on " + Http.shorten(ctx.path());
            case 413 -> "body: larger than the limit";
            default -> code == ErrorCode.INTERNAL_ERROR ? OmpErrors.INTERNAL_MESSAGE : "request rejected";
        };
        envelope(ctx, status, body(code, message, ctx));
    }

    private static void envelope(Context ctx, int status, ErrorEnvelope env) {
        ctx.attribute("omp.enveloped", Boolean.TRUE);
        ctx.status(status).contentType("application/json").result(OmpJson.writeBytes(env));
    }

    private static byte[] resource(String name) {
        try (InputStream in = OmpServer.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing resource " + name, e);
        }
    }

    // ------------------------------------------------------------------ main

    /**
     * Runs the server until SIGTERM/SIGINT; exit status 2 with one line for bad configuration.
     *
     * @param args flags, see {@code --help}
     */
    public static void main(String[] args) {
        // Libraries that log through java.util.logging (pgjdbc) on one line per record.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
        if (args.length > 0 && args[0].equals("hash-key")) {
            hashKey();
            return;
        }
        if (args.length > 0 && List.of("export", "import", "migrate").contains(args[0])) {
            if (ServerConfig.wantsHelp(args)) {
                System.out.println(MoveCommand.HELP);
                return;
            }
            System.exit(MoveCommand.run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length),
                    new HashMap<>(System.getenv()), System.out, System.err, System.in));
        }
        if (ServerConfig.wantsHelp(args)) {
            System.out.println(ServerConfig.help());
            return;
        }
        if (args.length > 0 && args[0].equals("reembed")) {
            System.exit(reembed(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        OmpServer server;
        try {
            ServerConfig config = ServerConfig.parse(args, new HashMap<>(System.getenv()));
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                    config.logLevel().equals("debug") ? "debug" : "warn");
            server = start(config);
        } catch (OmpException e) {
            System.err.println("omp-server: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException | LinkageError e) {
            System.err.println("omp-server: cannot start: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + blog.openmem.spi.Redaction.url(e.getMessage()) : ""));
            System.exit(2);
            return;
        }
        OmpServer running = server;
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "omp-server-shutdown"));
        System.out.println(running.startLine());
    }

    /**
     * {@code omp-server reembed [flags]}: rewrites, with the configured embedder, the vectors of every
     * memory stored with another model (after changing {@code --embedder} on an existing store),
     * batch by batch; safe to interrupt and run again. Same flags as the server.
     *
     * @return the exit status: 0 done, 2 bad configuration, 1 failure
     */
    static int reembed(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        ServerConfig config;
        try {
            config = ServerConfig.parse(args, new HashMap<>(System.getenv()));
        } catch (OmpException e) {
            err.println("omp-server: " + e.getMessage());
            return 2;
        }
        try (Memory memory = openMemory(config)) {
            String model = String.valueOf(memory.capabilities().features().extra().get("embedding_model"));
            long n = memory.reembed(256, total -> out.println("omp-server: re-embedded " + total + " memories"));
            out.println("omp-server: done, " + n + " memories re-embedded with " + model);
            return 0;
        } catch (blog.openmem.spi.error.ConfigurationException e) {
            err.println("omp-server: " + e.getMessage());
            return 2;
        } catch (OmpException e) {
            err.println("omp-server: re-embedding stopped (run it again to resume): " + e.getMessage());
            return 1;
        }
    }

    private static void hashKey() {
        try {
            String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (key == null || key.isBlank()) {
                System.err.println("omp-server: give the key on standard input");
                System.exit(2);
            }
            System.out.println(ApiKeys.hash(key.trim()));
        } catch (IOException e) {
            System.err.println("omp-server: cannot read standard input");
            System.exit(2);
        }
    }
}
