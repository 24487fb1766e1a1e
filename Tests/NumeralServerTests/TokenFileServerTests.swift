import Foundation
import HummingbirdTesting
import NumeralServer
import XCTest

/// `numeral serve --tokens-file`: replicas of a fleet given one token file read-only (a Kubernetes
/// Secret mounted into every pod) accept the same tokens, and a new Secret — swapped in behind
/// the `..data` symlink the way the kubelet updates a mounted Secret — revokes a token on every
/// replica from the next request, without a restart.
final class TokenFileServerTests: XCTestCase {
    /// Lays out a directory as the kubelet mounts a Secret: `server-tokens.json -> ..data/server-tokens.json`,
    /// `..data -> ..<version>`; `publish` writes a new version and swaps `..data` atomically.
    struct MountedSecret {
        let directory: String
        var path: String { directory + "/" + TokenStore.fileName }

        init() throws {
            directory = NSTemporaryDirectory() + "numeral-secret-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }

        func publish(_ contents: Data, version: String) throws {
            let versioned = directory + "/..\(version)"
            try FileManager.default.createDirectory(atPath: versioned, withIntermediateDirectories: true)
            try contents.write(to: URL(fileURLWithPath: versioned + "/" + TokenStore.fileName))
            let temporary = directory + "/..data_tmp"
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: "..\(version)")
            XCTAssertEqual(rename(temporary, directory + "/..data"), 0)
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil {
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "..data/" + TokenStore.fileName)
            }
        }
    }

    private func server(tokensFile: String) throws -> (NumeralHTTPServer, String) {
        let directory = NSTemporaryDirectory() + "numeral-replica-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var settings = ServerSettings(dataDirectory: directory, mnistDirectory: directory + "/no-mnist", device: "replica")
        settings.port = 0
        settings.tokensFile = tokensFile
        return (try NumeralHTTPServer(settings: settings, weightsPath: ServerHarness.shippedModel), directory)
    }

    func testReplicasShareAMountedTokenFileAndFollowItsUpdates() async throws {
        // The operator makes the file once (`numeral serve token create --tokens-file tokens.json`).
        let made = NSTemporaryDirectory() + "numeral-made-tokens-" + UUID().uuidString + ".json"
        defer { try? FileManager.default.removeItem(atPath: made) }
        let maker = TokenStore(path: made)
        let admin = try maker.create(role: .admin, name: "ops")
        let viewer = try maker.create(role: .viewer, name: "grafana")
        let first = try Data(contentsOf: URL(fileURLWithPath: made))
        XCTAssertFalse(String(decoding: first, as: UTF8.self).contains(admin.token), "the file holds hashes only")

        let secret = try MountedSecret()
        defer { try? FileManager.default.removeItem(atPath: secret.directory) }
        try secret.publish(first, version: "v1")
        let (a, directoryA) = try server(tokensFile: secret.path)
        let (b, directoryB) = try server(tokensFile: secret.path)
        defer { for d in [directoryA, directoryB] { try? FileManager.default.removeItem(atPath: d) } }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directoryA + "/" + TokenStore.fileName),
                       "a server given a token file keeps no token file of its own")

        for replica in [a, b] {
            try await replica.application().test(.live) { client in
                let whoami = try await client.call(.get, "/api/v1/whoami", token: admin.token)
                XCTAssertEqual(whoami.status, .ok, whoami.text)
                XCTAssertEqual(whoami.json["role"] as? String, "admin")
                let stats = try await client.call(.get, "/api/v1/stats", token: viewer.token)
                XCTAssertEqual(stats.status, .ok, stats.text)
                let csv = try await client.call(.get, "/api/v1/log.csv", token: viewer.token)
                XCTAssertEqual(csv.status, .forbidden, "a viewer from the file is still only a viewer")
            }
        }

        // The operator revokes the viewer token and updates the Secret: both replicas refuse it next time.
        try maker.revoke(id: viewer.record.id)
        try secret.publish(try Data(contentsOf: URL(fileURLWithPath: made)), version: "v2")
        for replica in [a, b] {
            try await replica.application().test(.live) { client in
                let revoked = try await client.call(.get, "/api/v1/stats", token: viewer.token)
                XCTAssertEqual(revoked.status, .unauthorized, revoked.text)
                let kept = try await client.call(.get, "/api/v1/stats", token: admin.token)
                XCTAssertEqual(kept.status, .ok, kept.text)
            }
        }
    }

    func testAMissingOrBrokenTokenFileStopsTheServerAtStart() throws {
        let missing = NSTemporaryDirectory() + "numeral-no-such-tokens-" + UUID().uuidString + ".json"
        XCTAssertThrowsError(try server(tokensFile: missing)) { error in
            XCTAssertEqual(error as? TokenError, .missing(path: missing))
            XCTAssertTrue("\(error)".contains("--tokens-file"), "\(error)")
        }
        let broken = NSTemporaryDirectory() + "numeral-broken-tokens-" + UUID().uuidString + ".json"
        defer { try? FileManager.default.removeItem(atPath: broken) }
        try Data("postgresql://not-a-token-list".utf8).write(to: URL(fileURLWithPath: broken))
        XCTAssertThrowsError(try server(tokensFile: broken)) { error in
            guard case .unreadable(let path, _)? = error as? TokenError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, broken)
        }
    }
}
