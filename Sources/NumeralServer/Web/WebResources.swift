import Foundation
import Hummingbird
import NIOCore
import NumeralSession

/// The page, its script and style, and the OpenAPI file, embedded in the binary (generated
/// from `Web/Static` by scripts/embed-web.py). Nothing is fetched from elsewhere.
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

    /// Reads the files embedded in the binary (see `EmbeddedWeb`); throws naming one that is missing.
    init() throws {
        var contents: [String: [UInt8]] = [:]
        for name in Self.files.keys {
            guard let text = EmbeddedWeb.files[name] else {
                throw ServiceError.failed("The web file \(name) is missing from this build.")
            }
            contents[name] = Array(text.utf8)
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

extension NumeralHTTPServer {
    /// The names of the embedded web files.
    public static var webFileNames: [String] { Array(EmbeddedWeb.files.keys) }
    /// One embedded web file's text.
    public static func webFile(_ name: String) -> String? { EmbeddedWeb.files[name] }
}
