import Foundation
import NumeralUI
import XCTest
@testable import NumeralApp
@testable import NumeralSession

final class KioskFilesTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "numeral-kioskfiles-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    func testPathsFollowXDGConfigHomeAndFallBackToDotConfig() {
        XCTAssertEqual(KioskFiles.pinPath(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/a"]), "/cfg/numeral/kiosk-pin.json")
        XCTAssertEqual(KioskFiles.configPath(environment: ["HOME": "/home/a"]), "/home/a/.config/numeral/config.json")
        XCTAssertEqual(KioskFiles.configPath(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/a"]),
                       "/home/a/.config/numeral/config.json", "relative XDG values are ignored")
    }

    func testThePINFileHoldsOnlyTheHashAndIsPrivate() throws {
        let path = directory + "/conf/numeral/kiosk-pin.json"
        let record = try KioskPIN.makeRecord(pin: "80808080", iterations: KioskPIN.minimumIterations)
        try KioskFiles.writePIN(record, path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertFalse(text.contains("80808080"))
        XCTAssertTrue(text.contains("PBKDF2-HMAC-SHA256"))
        let read = try XCTUnwrap(try KioskFiles.readPIN(path: path))
        XCTAssertEqual(read, record)
        XCTAssertTrue(try KioskPIN.verify("80808080", against: read))
        XCTAssertNil(try KioskFiles.readPIN(path: directory + "/absent.json"))
        try Data("{\"pin\": 1234}".utf8).write(to: URL(fileURLWithPath: directory + "/bad.json"))
        XCTAssertThrowsError(try KioskFiles.readPIN(path: directory + "/bad.json"))
    }

    func testConfigIsOptionalUnlessNamedAndValidated() throws {
        XCTAssertEqual(try KioskFiles.readConfig(path: directory + "/none.json", required: false), NumeralConfig())
        XCTAssertThrowsError(try KioskFiles.readConfig(path: directory + "/none.json", required: true))
        let good = directory + "/config.json"
        try Data(#"{"kiosk": true, "idleTimeoutSeconds": 45, "unknown": "ignored"}"#.utf8).write(to: URL(fileURLWithPath: good))
        XCTAssertEqual(try KioskFiles.readConfig(path: good, required: true), NumeralConfig(kiosk: true, idleTimeoutSeconds: 45))
        let bad = directory + "/bad.json"
        try Data(#"{"idleTimeoutSeconds": -3}"#.utf8).write(to: URL(fileURLWithPath: bad))
        XCTAssertThrowsError(try KioskFiles.readConfig(path: bad, required: true)) {
            XCTAssertTrue(String(describing: $0).contains("idleTimeoutSeconds"))
        }
        try Data("kiosk = yes".utf8).write(to: URL(fileURLWithPath: bad))
        XCTAssertThrowsError(try KioskFiles.readConfig(path: bad, required: false))
        // The kiosk's character set is the admin's, kept in the file.
        let letters = directory + "/letters.json"
        try Data(#"{"kiosk": true, "classes": "letters"}"#.utf8).write(to: URL(fileURLWithPath: letters))
        XCTAssertEqual(try KioskFiles.readConfig(path: letters, required: true).characterClasses, .letters)
        try Data(#"{"classes": "runes"}"#.utf8).write(to: URL(fileURLWithPath: bad))
        XCTAssertThrowsError(try KioskFiles.readConfig(path: bad, required: true)) {
            XCTAssertTrue(String(describing: $0).contains("classes must be digits, letters, alphanumeric"), "\($0)")
        }
    }

    func testTheMissingPINMessageTellsWhatToRun() {
        XCTAssertTrue(KioskError.noPIN(path: "/x").description.hasPrefix("Kiosk mode needs an admin PIN: run `numeral kiosk set-pin` first"))
    }
}
