import Foundation
import NumeralServer
import XCTest

/// The binary serves `EmbeddedWeb.swift`; people edit `Web/Static`. They must not drift apart.
final class EmbeddedWebTests: XCTestCase {
    func testEmbeddedFilesEqualTheStaticFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let staticFolder = root.appendingPathComponent("Sources/NumeralServer/Web/Static")
        let names = try FileManager.default.contentsOfDirectory(atPath: staticFolder.path).sorted()
        XCTAssertEqual(names, NumeralHTTPServer.webFileNames.sorted())
        for name in names {
            let onDisk = try String(contentsOf: staticFolder.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(NumeralHTTPServer.webFile(name), onDisk, "\(name) changed: run scripts/embed-web.py")
        }
    }
}
