import Foundation
import Hummingbird
import NIOCore

/// The page, its script and style, and the OpenAPI file, read once from the target's
/// resources (copied into the build beside the binary). Nothing is fetched from elsewhere.
struct WebResources: Sendable {
    static let files: [String: String] = [
        "index.html": "text/html; charset=utf-8",
        "dashboard.html": "text/html; charset=utf-8",
        "app.js": "text/javascript; charset=utf-8",
        "dashboard.js": "text/javascript; charset=utf-8",
        "style.css": "text/css; charset=utf-8",
        "openapi.yaml": "application/yaml; charset=utf-8",
    ]
    private let contents: [String: [UInt8]]

    /// Throws `ServiceError.failed` naming the missing file when the resources are not installed.
    init() throws {
        guard let directory = Bundle.module.url(forResource: "Static", withExtension: nil) else {
            throw ServiceError.failed("The web page's files are missing from this installation (the NumeralServer resources bundle).")
        }
        var contents: [String: [UInt8]] = [:]
        for name in Self.files.keys {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                throw ServiceError.failed("The web file \(name) is missing from this installation.")
            }
            contents[name] = Array(data)
        }
        self.contents = contents
    }

    func response(for name: String) throws -> Response {
        guard let bytes = contents[name], let type = Self.files[name] else {
            throw APIError(.notFound, "There is no file \(name.prefix(60)).")
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache",
                                               .init("X-Content-Type-Options")!: "nosniff"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func register(on router: Router<ServerRequestContext>) {
        router.get("/") { _, _ in try response(for: "index.html") }
        router.get("/dashboard") { _, _ in try response(for: "dashboard.html") }
        router.get("/static/:file") { _, context in try response(for: try context.parameters.require("file")) }
    }
}
