import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NumeralServer
import NumeralVision
import XCTest

/// A server on a fresh data directory with the shipped model, listening on an ephemeral
/// loopback port, plus helpers to talk to it as a client would.
struct ServerHarness {
    let directory: String
    let server: NumeralHTTPServer
    let admin: String
    let viewer: String

    init(_ configure: (inout ServerSettings) -> Void = { _ in }) throws {
        directory = NSTemporaryDirectory() + "numeral-serve-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var settings = ServerSettings(dataDirectory: directory, mnistDirectory: directory + "/no-mnist", device: "test-device")
        settings.port = 0
        settings.ratePerSecond = 1000
        settings.rateBurst = 1000
        configure(&settings)
        server = try NumeralHTTPServer(settings: settings, weightsPath: Self.shippedModel)
        admin = try server.tokens.create(role: .admin, name: "admin").token
        viewer = try server.tokens.create(role: .viewer, name: "viewer").token
    }

    static var shippedModel: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/mnist-cnn.safetensors").path
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server.application().test(.live) { client in try await body(client) }
    }

    /// Puts files named like the four MNIST files where the server looks for MNIST (`no-mnist`),
    /// so a run gets past the check that they are there (their contents are never read when the
    /// run stops earlier, e.g. on a log without feedback).
    func provideMNISTFiles() throws {
        try FileManager.default.createDirectory(atPath: directory + "/no-mnist", withIntermediateDirectories: true)
        for split in MNISTSplit.allCases {
            for name in [split.imagesFileName, split.labelsFileName] {
                FileManager.default.createFile(atPath: directory + "/no-mnist/" + name, contents: Data())
            }
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A hand-drawn-like "1" and "7" in canvas pixels.
enum Samples {
    static let one = #"{"strokes": [[[140, 40], [142, 100], [144, 160], [146, 220], [147, 250]]], "width": 280, "height": 280}"#
    static let seven = #"{"strokes": [[[60, 50], [140, 50], [220, 50], [180, 120], [140, 190], [110, 250]]], "width": 280, "height": 280}"#

    /// A PNG of a dark vertical bar (a "1") on white paper.
    static func onePNG() throws -> [UInt8] {
        var image = GrayImage(width: 64, height: 64, fill: 0)
        for y in 10..<54 { for x in 29..<35 { image[x, y] = 1 } }
        return try PNGCodec.encodeGray(image, invert: true)
    }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, contentType: String? = nil,
              body: [UInt8]? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer " + token }
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
    }

    func predict(_ json: String, token: String? = nil) async throws -> TestResponse {
        try await call(.post, "/api/v1/predictions", token: token, contentType: "application/json", body: Array(json.utf8))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var errorMessage: String { ((json["error"] as? [String: Any])?["message"] as? String) ?? "" }
}
