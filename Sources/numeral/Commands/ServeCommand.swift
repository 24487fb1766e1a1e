import ArgumentParser
import Dispatch
import Foundation
import NumeralSession
import NumeralImprovement
import NumeralRecognition
import NumeralServer
import NumeralStore

/// `numeral serve`: the drawing page, the dashboard and the HTTP API (see NumeralServer).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the drawing page, the dashboard and the HTTP API (/api/v1) on the same model and log as the app.",
        subcommands: [TokenCommand.self])

    @Option(help: "Address to listen on (0.0.0.0 for every interface).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one and prints it).") var port = 8080
    @OptionGroup var location: DataDirectoryOption
    @OptionGroup var mnist: MNISTOptions
    @Option(name: .customLong("model"), help: "Model weights to serve. Default: the data directory's active model, else the shipped one.")
    var model: String?
    @Option(help: "Device name logged with each prediction. Default: the config's `device`, else the host name.")
    var device: String?
    @Option(name: .customLong("cors-origin"), help: "Allow this browser origin (e.g. https://example.org) to call the API. Default: no CORS.")
    var corsOrigin: String?
    @Option(name: .customLong("max-body"), help: "Largest request body in bytes (larger: 413).") var maxBody = 4 * 1024 * 1024
    @Option(name: .customLong("rate"), help: "Requests per second each client may make on average (0: no limit).") var rate = 20.0
    @Option(name: .customLong("burst"), help: "Requests a client may make at once before the rate applies.") var burst = 40.0
    @Option(name: .customLong("timeout"), help: "Seconds a request may take before it is answered 503.") var timeout = 10.0
    @Option(help: "Recognitions run in parallel, each on its own copy of the model.") var workers = 2
    @Option(name: .customLong("log-batch"), help: "Most log writes one commit (one fsync) carries; 1 commits each on its own.") var logBatch = 512
    @OptionGroup var tokenFile: TokenFileOption
    @Option(name: .customLong("trusted-proxy"), parsing: .singleValue,
            help: "A load balancer's address or CIDR range (repeatable) whose X-Forwarded-For names the client; others' is ignored.")
    var trustedProxies: [String] = []

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard maxBody >= 1024 else { throw ValidationError("--max-body must be at least 1024 bytes.") }
        guard rate.isFinite, rate >= 0, burst.isFinite, burst >= 1 else { throw ValidationError("--rate must be ≥ 0 and --burst ≥ 1.") }
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64.") }
        guard (1...10_000).contains(logBatch) else { throw ValidationError("--log-batch must be between 1 and 10000.") }
        for proxy in trustedProxies where AddressRange(proxy) == nil {
            throw ValidationError("--trusted-proxy \(proxy) is not an IP address or CIDR range like 10.0.0.0/8 or fd00::/8.")
        }
        if let corsOrigin, !(corsOrigin.hasPrefix("http://") || corsOrigin.hasPrefix("https://")) {
            throw ValidationError("--cors-origin must be an origin like https://example.org.")
        }
    }

    func run() throws {
        try reportingFailures {
            let directory = location.directory
            let configured = device ?? (try? KioskFiles.readConfig(path: KioskFiles.configPath(), required: false))?.device
            var settings = ServerSettings(dataDirectory: directory, mnistDirectory: mnist.resolved,
                                          device: DeviceName.resolve(configured: configured))
            settings.log = try location.location()
            settings.host = host
            settings.port = port
            settings.modelPath = model
            settings.corsOrigin = corsOrigin
            settings.maxBodyBytes = maxBody
            settings.ratePerSecond = rate
            settings.rateBurst = burst
            settings.requestTimeout = timeout
            settings.workers = workers
            settings.logBatch = logBatch
            settings.tokensFile = tokenFile.explicitPath
            settings.trustedProxies = trustedProxies.compactMap(AddressRange.init)
            let active: String?
            switch (model, settings.logLocation) {
            case (nil, .postgres):
                // The fleet's active model, its weights fetched from the database if this machine lacks them.
                do {
                    active = try ModelRegistry(dataDirectory: directory, store: PredictionStore(location: settings.logLocation)).activeModelPath()
                } catch let error as StoreError where error.isTransient {
                    // A fleet server starts while its database is away: it serves the shipped
                    // model, keeps predictions in its spool, and follows the log's model once back.
                    FileHandle.standardError.write(Data("numeral: \(error.description) Serving the shipped model until the log answers.\n".utf8))
                    active = nil
                }
            case (nil, .sqlite): active = ModelOptions.activeModelPath(dataDirectory: directory)
            default: active = nil
            }
            let weights = try ModelLocator(explicitPath: model, activeModelPath: active).locate()
            let server = try NumeralHTTPServer(settings: settings, weightsPath: weights)
            let host = self.host
            let app = server.application(onListening: { port in
                print("Serving model \(server.predictions.modelID) on http://\(host):\(port)/ (log: \(server.settings.logLocation)). Ctrl+C stops.")
                fflush(stdout)
            })
            let finished = DispatchSemaphore(value: 0)
            let failure = FailureBox()
            Task {
                do { try await app.runService() } catch { failure.error = error }
                finished.signal()
            }
            finished.wait()
            if let error = failure.error {
                throw UserFacingError("The server stopped: \(error). Is port \(port) on \(host) already in use?")
            }
        }
    }

    private final class FailureBox: @unchecked Sendable { var error: Error? }

    /// `--tokens-file PATH` (else `$NUMERAL_TOKENS_FILE`): one token file instead of the data
    /// directory's `server-tokens.json`. `token create` writes it; `serve` only reads it, so it can
    /// be a Secret mounted read-only into every server of a fleet.
    struct TokenFileOption: ParsableArguments {
        @Option(name: .customLong("tokens-file"),
                help: "Token file to use instead of the data directory's server-tokens.json (default: $NUMERAL_TOKENS_FILE). `serve` only reads it: give every server of a fleet the same file, e.g. a mounted Kubernetes Secret.")
        var path: String?

        var explicitPath: String? {
            if let path { return path }
            if let env = ProcessInfo.processInfo.environment["NUMERAL_TOKENS_FILE"], !env.isEmpty { return env }
            return nil
        }

        func store(dataDirectory: String) -> TokenStore {
            explicitPath.map { TokenStore(path: $0) } ?? TokenStore(dataDirectory: dataDirectory)
        }
    }

    /// `numeral serve token ...`: the bearer tokens of the data directory.
    struct TokenCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "Create, list and revoke the bearer tokens that give viewer or admin rights.",
            subcommands: [Create.self, List.self, Revoke.self])

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a token and print it once (only its SHA-256 is kept).")
            @Option(help: "viewer (stats, dashboard) or admin (also log export, models, improve).") var role: String
            @Option(help: "A name to recognize the token by in `token list`.") var name: String?
            @OptionGroup var location: DataDirectoryOption
            @OptionGroup var tokenFile: TokenFileOption

            func run() throws {
                try reportingFailures {
                    guard let role = Role(rawValue: role.lowercased()) else {
                        throw UserFacingError("--role must be viewer or admin.")
                    }
                    let (token, record) = try tokenFile.store(dataDirectory: location.directory).create(role: role, name: name)
                    print(token)
                    FileHandle.standardError.write(Data(("Token \(record.id) (\(role.rawValue)) created. It is shown only now: "
                        + "send it as `Authorization: Bearer <token>`; `numeral serve token revoke \(record.id)\(tokenFile.explicitPath.map { " --tokens-file \($0)" } ?? "")` ends it.\n").utf8))
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the tokens (id, role, name, created); never the tokens themselves.")
            @OptionGroup var location: DataDirectoryOption
            @OptionGroup var tokenFile: TokenFileOption

            func run() throws {
                try reportingFailures {
                    let records = try tokenFile.store(dataDirectory: location.directory).list()
                    guard !records.isEmpty else { return print("No tokens yet; `numeral serve token create --role viewer` makes one.") }
                    let formatter = ISO8601DateFormatter()
                    print("ID        ROLE    CREATED (UTC)         NAME")
                    for r in records {
                        print("\(r.id)  \(r.role.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  \(formatter.string(from: r.created))  \(r.name ?? "-")")
                    }
                }
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a token by id; a running server refuses it from the next request.")
            @Argument(help: "The token's id, as `numeral serve token list` shows it.") var id: String
            @OptionGroup var location: DataDirectoryOption
            @OptionGroup var tokenFile: TokenFileOption

            func run() throws {
                try reportingFailures {
                    try tokenFile.store(dataDirectory: location.directory).revoke(id: id)
                    print("Token \(id) revoked.")
                }
            }
        }
    }
}
