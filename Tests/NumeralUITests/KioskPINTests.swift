import Foundation
import XCTest
@testable import NumeralUI

final class KioskPINTests: XCTestCase {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Published PBKDF2-HMAC-SHA256 vectors (as in RFC 7914 §11 and the RFC 6070 inputs).
    func testPBKDF2MatchesKnownVectors() {
        let password = Array("password".utf8), salt = Array("salt".utf8)
        XCTAssertEqual(hex(KioskPIN.pbkdf2SHA256(password: password, salt: salt, iterations: 1, keyLength: 32)),
                       "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        XCTAssertEqual(hex(KioskPIN.pbkdf2SHA256(password: password, salt: salt, iterations: 2, keyLength: 32)),
                       "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
        XCTAssertEqual(hex(KioskPIN.pbkdf2SHA256(password: password, salt: salt, iterations: 4096, keyLength: 32)),
                       "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        // RFC 7914: 64 bytes, so two blocks.
        XCTAssertEqual(hex(KioskPIN.pbkdf2SHA256(password: Array("passwd".utf8), salt: salt, iterations: 1, keyLength: 64)),
                       "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                       + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    func testARecordVerifiesItsPINAndRejectsOthers() throws {
        let record = try KioskPIN.makeRecord(pin: "2468", iterations: KioskPIN.minimumIterations)
        XCTAssertEqual(record.algorithm, "PBKDF2-HMAC-SHA256")
        XCTAssertEqual(Data(base64Encoded: record.salt)?.count, 16)
        XCTAssertTrue(try KioskPIN.verify("2468", against: record))
        XCTAssertFalse(try KioskPIN.verify("2469", against: record))
        XCTAssertFalse(try KioskPIN.verify("24680", against: record))
        XCTAssertFalse(try KioskPIN.verify("", against: record))
    }

    func testSaltsDifferSoEqualPINsGiveDifferentHashes() throws {
        let a = try KioskPIN.makeRecord(pin: "123456", iterations: KioskPIN.minimumIterations)
        let b = try KioskPIN.makeRecord(pin: "123456", iterations: KioskPIN.minimumIterations)
        XCTAssertNotEqual(a.salt, b.salt)
        XCTAssertNotEqual(a.hash, b.hash)
    }

    func testTheStoredRecordNeverContainsThePIN() throws {
        let pin = "97531"
        let record = try KioskPIN.makeRecord(pin: pin, iterations: KioskPIN.minimumIterations, salt: Array(repeating: 7, count: 16))
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        XCTAssertFalse(json.contains(pin))
        XCTAssertFalse(json.contains(Data(pin.utf8).base64EncodedString()))
        XCTAssertGreaterThanOrEqual(record.iterations, 100_000)
    }

    func testPINShapeIsChecked() {
        XCTAssertThrowsError(try KioskPIN.validate("123")) { XCTAssertEqual($0 as? KioskPINError, .badLength(3)) }
        XCTAssertThrowsError(try KioskPIN.validate("1234567890123")) { XCTAssertEqual($0 as? KioskPINError, .badLength(13)) }
        XCTAssertThrowsError(try KioskPIN.validate("12a4")) { XCTAssertEqual($0 as? KioskPINError, .notDigits) }
        XCTAssertThrowsError(try KioskPIN.validate("١٢٣٤")) { XCTAssertEqual($0 as? KioskPINError, .notDigits) }
        XCTAssertNoThrow(try KioskPIN.validate("0000"))
        XCTAssertNoThrow(try KioskPIN.validate("123456789012"))
    }

    func testWeakOrForeignRecordsAreRefusedNotTrusted() throws {
        var record = try KioskPIN.makeRecord(pin: "2468", iterations: KioskPIN.minimumIterations)
        record.iterations = 1_000
        XCTAssertThrowsError(try KioskPIN.verify("2468", against: record))
        record.iterations = KioskPIN.minimumIterations
        record.algorithm = "MD5"
        XCTAssertThrowsError(try KioskPIN.verify("2468", against: record))
        record.algorithm = KioskPIN.algorithm
        record.salt = "not base64!"
        XCTAssertThrowsError(try KioskPIN.verify("2468", against: record))
        XCTAssertThrowsError(try KioskPIN.makeRecord(pin: "2468", iterations: 10))
    }

    func testConstantTimeComparison() {
        XCTAssertTrue(KioskPIN.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(KioskPIN.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(KioskPIN.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
