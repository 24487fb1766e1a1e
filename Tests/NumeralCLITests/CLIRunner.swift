import Foundation
import XCTest
import NumeralVision

/// Runs the `numeral` binary the test command built, with the datasets in its environment.
enum CLIRunner {
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func binary() throws -> String {
        // First the binary built beside these tests (any --scratch-path), then the usual build folders.
        let beside = [CommandLine.arguments.first, Bundle.main.executablePath].compactMap { $0 }.map {
            URL(fileURLWithPath: $0).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("numeral").path
        }
        for path in beside + ["debug", "release"].map({ repoRoot.appendingPathComponent(".build/\($0)/numeral").path }) {
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw XCTSkip("the numeral binary is not built; run the suite with `make test`")
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NUMERAL_MNIST"] = env["NUMERAL_MNIST"] ?? repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
        // Hermetic: the user's own log (and any model they made active) must not change results.
        env["XDG_DATA_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-cli-data-\(getpid())").path
        env["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-cli-config-\(getpid())").path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = directory ?? repoRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs xdotool (pointer and keys for the window under X) and returns what it printed, trimmed.
    static func xdotool(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/xdotool")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The MNIST directory the binary will read ($NUMERAL_MNIST, else `<repo>/../shared/data/mnist`); skips the test
    /// with one clear line when the files are not there (a fresh clone has nothing beside it).
    static func requireMNIST() throws -> String {
        let env = ProcessInfo.processInfo.environment["NUMERAL_MNIST"]
        let directory = (env?.isEmpty == false ? env : nil)
            ?? repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
        guard MNISTDataset.existingFile(directory: directory, baseName: MNISTSplit.test.imagesFileName) != nil else {
            throw XCTSkip("MNIST not found in \(directory); set NUMERAL_MNIST to the directory holding the IDX files")
        }
        return directory
    }

    static func json(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(line)")
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
