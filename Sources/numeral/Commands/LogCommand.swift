import ArgumentParser
import Foundation
import NumeralSession
import NumeralStore

/// `numeral log ...`: moving the prediction log in and out of CSV.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Export or import the prediction log as CSV.",
        subcommands: [Export.self, Import.self, Copy.self, Flush.self, StressWrite.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the prediction log to a CSV file (its first five columns are the seed app's).")

        @Option(name: .customLong("csv"), help: "The CSV file to write, or - for standard output.")
        var csv: String

        @OptionGroup var location: DataDirectoryOption

        func run() throws {
            try reportingFailures {
                let store = try location.openForReading()
                var skipped: [LogRead.SkippedRow]
                if csv == "-" {
                    let read = try store.read()
                    FileHandle.standardOutput.write(Data(try LogCSV.csvText(read.records).utf8))
                    skipped = read.skipped
                } else {
                    let exported = try LogCSV.export(from: store, toFile: csv)
                    print("Exported \(exported.written) prediction(s) from \(store.path) to \(csv)")
                    skipped = exported.skipped
                }
                warnAboutSkippedRows(LogRead(skipped: skipped))
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the rows of a CSV file to the prediction log; rows already logged are skipped.")

        @Option(name: .customLong("csv"), help: "The CSV file to read (seed five-column files are accepted).")
        var csv: String

        @OptionGroup var location: DataDirectoryOption

        func run() throws {
            try reportingFailures {
                let store = try location.openForWriting()
                let report = try LogCSV.importCSV(fromFile: csv, into: store)
                print(report)
                // Partial success still exits 1 so scripts notice the refused rows.
                if !report.errors.isEmpty { throw ExitCode.failure }
            }
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every prediction from one log to another (a kiosk's SQLite log into the fleet's PostgreSQL one).",
            discussion: "Each side is a data directory, a numeral.sqlite file or a postgresql:// URL. Idempotent: records already in the target (same record id, or same time, input type, prediction and confidence) are skipped, so an interrupted copy is simply run again.")

        @Option(help: "The log to read.") var from: String
        @Option(help: "The log to add to (created if needed).") var to: String
        @Option(help: "Records per transaction.") var chunk = PredictionStore.importChunkSize

        func validate() throws {
            guard (1...100_000).contains(chunk) else { throw ValidationError("--chunk must be 1...100000") }
        }

        func run() throws {
            try reportingFailures {
                let source = try Self.open(from, access: .readOnly)
                let target = try Self.open(to, access: .readWrite)
                let total = try source.count()
                var afterID: Int64 = -1, done = 0, copied = 0, present = 0
                var skipped: [LogRead.SkippedRow] = []
                let started = Date()
                while true {
                    let page = try source.readPage(afterID: afterID, limit: chunk)
                    skipped += page.skipped
                    let lastID = max(page.records.compactMap(\.id).max() ?? afterID, page.skipped.map(\.id).max() ?? afterID)
                    guard lastID > afterID else { break }
                    afterID = lastID
                    let records = page.records.map { record -> PredictionRecord in var r = record; r.id = nil; return r }
                    let result = try target.importRecords(records, chunkSize: chunk)
                    copied += result.imported
                    present += result.duplicates
                    done += page.records.count + page.skipped.count
                    Self.progress(done, of: total)
                }
                FileHandle.standardError.write(Data("\n".utf8))
                print("Copied \(copied) prediction(s) from \(source.path) to \(target.path); \(present) were there already "
                    + "(\(TerminalProgress.duration(Date().timeIntervalSince(started))))")
                warnAboutSkippedRows(LogRead(skipped: skipped))
            }
        }

        /// A data directory, an SQLite file, or a postgresql:// URL.
        static func open(_ text: String, access: PredictionStore.Access) throws -> PredictionStore {
            if PostgresURL.isPostgres(text) { return try PredictionStore(location: .postgres(try PostgresURL(text)), access: access) }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory), !isDirectory.boolValue {
                return try PredictionStore(path: text, access: access)
            }
            return try PredictionStore(location: .sqlite(directory: text), access: access)
        }

        static func progress(_ done: Int, of total: Int) {
            let width = 30
            let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
        }
    }

    struct Flush: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the predictions kept in the local spool (while the log was locked or away) to the log now.")

        @OptionGroup var location: DataDirectoryOption

        func run() throws {
            try reportingFailures {
                let log = DurablePredictionLog(location: try location.location(), spoolDirectory: location.directory)
                let waiting = log.pendingCount
                let result = try log.flush()
                print("Spool \(log.spool.path): \(waiting) waiting, \(result.applied) written, \(result.remaining) still waiting, "
                    + "\(result.rejected) set aside in \(log.spool.rejectedPath)")
                if let problem = result.problem { print("The log still refuses writes: \(problem)") }
                if result.remaining > 0 { throw ExitCode.failure }
            }
        }
    }

    /// Writes records as fast as possible, printing each id once its transaction has
    /// committed. The crash-safety test kills it mid-stream and checks every printed id
    /// survived; hidden because it is useless to people.
    struct StressWrite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stress-write",
            abstract: "Write synthetic records, printing each committed id (for crash tests).",
            shouldDisplay: false)

        @Option(help: "How many records to write.")
        var count = 100_000

        @Option(help: "Name records PREFIX-N and write them as a kiosk does (upsert, then feedback with --feedback), through the durable spool; prints the names.")
        var uidPrefix: String?

        @Flag(help: "With --uid-prefix: give each record feedback too.")
        var feedback = false

        @OptionGroup var location: DataDirectoryOption

        func run() throws {
            try reportingFailures {
                if let uidPrefix {
                    // As the app logs: a record is acknowledged once it is in the log or in the fsynced spool.
                    let log = DurablePredictionLog(location: try location.location(), spoolDirectory: location.directory)
                    log.backoff = 0.2
                    var kept = 0
                    for n in 0..<max(0, count) {
                        let uid = "\(uidPrefix)-\(n)"
                        let receipt = try log.upsert(PredictionRecord(inputType: .canvas, predicted: String(n % 10), confidence: 0.5,
                                                                      modelVersion: "stress-write", latencyMs: 0.1, device: uidPrefix), uid: uid)
                        if case .kept = receipt { kept += 1 }
                        if feedback { try log.setActual(uid: uid, actual: String((n + 1) % 10)) }
                        FileHandle.standardOutput.write(Data("ack \(uid)\n".utf8))
                    }
                    _ = try? log.flush()
                    FileHandle.standardOutput.write(Data("kept \(kept)\n".utf8))
                    return
                }
                let store = try location.openForWriting()
                let input = [UInt8](repeating: 0, count: 784)
                for n in 0..<max(0, count) {
                    let id = try store.record(PredictionRecord(
                        inputType: .api, predicted: String(n % 10), confidence: 0.5,
                        modelVersion: "stress-write", latencyMs: 0, input: input))
                    // Unbuffered write(2): the line leaves the process before the next record.
                    FileHandle.standardOutput.write(Data("ack \(id)\n".utf8))
                }
            }
        }
    }
}

/// `--data-dir`, shared by the log and stats commands.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"),
            help: "Directory holding numeral.sqlite (default: $XDG_DATA_HOME/numeral or ~/.local/share/numeral).")
    var dataDir: String?

    @Option(name: .customLong("log"),
            help: "The log: postgresql://USER@HOST:PORT/DB for one shared by many devices (default: $NUMERAL_LOG, else \"log\" in config.json, else numeral.sqlite in --data-dir). The password comes from the URL, PGPASSWORD or ~/.pgpass.")
    var log: String?

    var directory: String { dataDir ?? PredictionStore.defaultDirectory() }

    /// --log, $NUMERAL_LOG, config.json's "log", else the SQLite log in the data directory.
    func location() throws -> LogLocation {
        let configured = (try? KioskFiles.readConfig(path: KioskFiles.configPath(), required: false))?.log
        return try LogLocation.resolve(explicit: log, configured: configured, dataDirectory: directory)
    }

    /// Read-write, creating the log if needed (SQLite) or migrating it (PostgreSQL).
    func openForWriting() throws -> PredictionStore {
        try PredictionStore(location: try location())
    }

    /// For commands that work on an existing log (improve, model use...): a mistyped
    /// --data-dir must be refused, not quietly get a new, empty log.
    func requireExistingLog() throws {
        guard case .sqlite = try location() else { return }
        let path = (directory as NSString).appendingPathComponent(PredictionStore.fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw UserFacingError("There is no prediction log in \(directory) (no \(PredictionStore.fileName)). "
                + "Check --data-dir for a typo; the default is \(PredictionStore.defaultDirectory()). "
                + "A log is created by the app's first prediction or by `numeral log import`.")
        }
    }

    /// `PredictionStore.openForReading`: read-only, so reading never creates a log in a
    /// mistyped directory; a log written by an older version is upgraded once.
    func openForReading() throws -> PredictionStore {
        let location = try location()
        guard let store = try PredictionStore.openForReading(location: location) else {
            throw StoreError.missingDatabase(path: location.description)
        }
        return store
    }
}

/// Runs `body`, turning any failure into its message on standard error and exit code 1,
/// never a stack trace.
/// Names, on standard error, the log rows a command could not read and skipped.
func warnAboutSkippedRows(_ read: LogRead) {
    guard let summary = read.skippedSummary else { return }
    FileHandle.standardError.write(Data("numeral: warning: \(summary)\n".utf8))
}

func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("numeral: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
