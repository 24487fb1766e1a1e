import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Get and check the MNIST dataset.",
        subcommands: [Fetch.self, Verify.self])

    /// The official files and their published MD5 checksums.
    static let files: [(name: String, md5: String)] = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    /// Mirrors tried in order; the original site is often unavailable.
    static let mirrors = [
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the four MNIST files into the data folder and check their MD5s.",
            discussion: "Files already present with the right checksum are kept. Each download gives up after --timeout seconds.")

        @OptionGroup var mnist: MNISTOptions
        @Option(help: "Seconds before a download attempt is abandoned.") var timeout: Double = 20

        func run() throws {
            let dir = mnist.resolved
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw failWithMessage(UserFacingError("cannot create \(dir): \(error.localizedDescription)"))
            }
            for file in DataCommand.files {
                let target = (dir as NSString).appendingPathComponent(file.name)
                if (try? FileChecksum.md5(path: target)) == file.md5 {
                    print("\(file.name): present, checksum ok")
                    continue
                }
                var problems: [String] = []
                var done = false
                for mirror in DataCommand.mirrors {
                    switch Downloader.get(mirror + file.name, timeout: timeout) {
                    case .failure(let reason):
                        problems.append("\(mirror): \(reason)")
                    case .success(let data):
                        let tmp = target + ".part"
                        do {
                            try data.write(to: URL(fileURLWithPath: tmp))
                            let sum = try FileChecksum.md5(path: tmp)
                            guard sum == file.md5 else {
                                try? FileManager.default.removeItem(atPath: tmp)
                                problems.append("\(mirror): checksum \(sum) instead of \(file.md5)")
                                continue
                            }
                            _ = try? FileManager.default.removeItem(atPath: target)
                            try FileManager.default.moveItem(atPath: tmp, toPath: target)
                            print("\(file.name): downloaded from \(mirror), checksum ok")
                            done = true
                        } catch {
                            throw failWithMessage(UserFacingError("cannot write \(target): \(error.localizedDescription)"))
                        }
                    }
                    if done { break }
                }
                if !done {
                    throw failWithMessage(UserFacingError("""
                        could not download \(file.name):
                          \(problems.joined(separator: "\n  "))
                        Check the network connection, or copy the four MNIST .gz files into \(dir) by hand \
                        (or point --data / NUMERAL_MNIST at a folder that has them).
                        """))
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the MD5s of the MNIST files in the data folder.")
        @OptionGroup var mnist: MNISTOptions

        func run() throws {
            var bad = false
            for file in DataCommand.files {
                let path = (mnist.resolved as NSString).appendingPathComponent(file.name)
                guard let sum = try? FileChecksum.md5(path: path) else {
                    print("\(file.name): missing in \(mnist.resolved)"); bad = true; continue
                }
                print("\(file.name): \(sum == file.md5 ? "ok" : "MISMATCH (\(sum))")")
                bad = bad || sum != file.md5
            }
            if bad { throw ExitCode.failure }
        }
    }
}

/// A blocking HTTP GET with a hard deadline, so an offline machine fails quickly instead of hanging.
enum Downloader {
    static func get(_ address: String, timeout: Double) -> Result<Data, DownloadFailure> {
        guard let url = URL(string: address) else { return .failure(DownloadFailure("bad URL")) }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout * 6
        let session = URLSession(configuration: config)
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox(.failure(DownloadFailure("timed out after \(Int(timeout)) s")))
        let task = session.dataTask(with: url) { data, response, error in
            if let error {
                box.set(.failure(DownloadFailure(error.localizedDescription)))
            } else if let http = response as? HTTPURLResponse, http.statusCode != 200 {
                box.set(.failure(DownloadFailure("HTTP status \(http.statusCode)")))
            } else if let data {
                box.set(.success(data))
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout * 6 + 1) == .timedOut { task.cancel() }
        session.invalidateAndCancel()
        return box.get()
    }

    /// The completion handler runs on URLSession's queue; the lock hands its result to the caller.
    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Result<Data, DownloadFailure>
        init(_ v: Result<Data, DownloadFailure>) { value = v }
        func set(_ v: Result<Data, DownloadFailure>) { lock.lock(); value = v; lock.unlock() }
        func get() -> Result<Data, DownloadFailure> { lock.lock(); defer { lock.unlock() }; return value }
    }
}

struct DownloadFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
