import Foundation
import NumeralServer
import XCTest

final class TokenStoreTests: XCTestCase {
    func testTokensAreStoredOnlyAsHashesInAPrivateFile() throws {
        let directory = NSTemporaryDirectory() + "numeral-tokens-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = TokenStore(dataDirectory: directory)
        let (token, record) = try store.create(role: .admin, name: "ops")
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        XCTAssertFalse(text.contains(token))
        XCTAssertFalse(text.contains(String(token.split(separator: "_")[2])))
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(store.verify(token)?.id, record.id)
        XCTAssertNil(store.verify(token + "x"))
        XCTAssertNil(store.verify("nmr_\(record.id)_" + String(repeating: "0", count: 48)))
        try store.revoke(id: record.id)
        XCTAssertNil(store.verify(token))
        XCTAssertThrowsError(try store.revoke(id: record.id))
    }
}
