import Foundation
import XCTest
@testable import NumeralSession

/// Files the user asks for without a path land in the XDG user directories, never the current one.
final class UserDirectoryTests: XCTestCase {
    func testTheEnvironmentThenUserDirsThenHomeDecide() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-home-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        XCTAssertEqual(UserDirectory.pictures.path(environment: ["HOME": home]), home + "/Pictures/Numeral")
        XCTAssertEqual(UserDirectory.documents.path(environment: ["HOME": home]), home + "/Documents/Numeral")
        try FileManager.default.createDirectory(atPath: home + "/.config", withIntermediateDirectories: true)
        try "# written by xdg-user-dirs-update\nXDG_PICTURES_DIR=\"$HOME/Bilder\"\nXDG_DOCUMENTS_DIR=\"$HOME/Dokumente\"\n"
            .write(toFile: home + "/.config/user-dirs.dirs", atomically: true, encoding: .utf8)
        XCTAssertEqual(UserDirectory.pictures.path(environment: ["HOME": home]), home + "/Bilder/Numeral")
        XCTAssertEqual(UserDirectory.documents.path(environment: ["HOME": home]), home + "/Dokumente/Numeral")
        XCTAssertEqual(UserDirectory.pictures.path(environment: ["HOME": home, "XDG_PICTURES_DIR": "/srv/shots"]), "/srv/shots/Numeral")
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/Bilder"), "asking where is not writing")
    }

    func testAMadeUpNameGoesThereAndAUsersPathIsKept() {
        let env = ["HOME": "/home/ada"]
        XCTAssertEqual(UserDirectory.pictures.resolve("numeral-1.png", environment: env), "/home/ada/Pictures/Numeral/numeral-1.png")
        XCTAssertEqual(UserDirectory.pictures.resolve("/tmp/shot.png", environment: env), "/tmp/shot.png")
        XCTAssertEqual(UserDirectory.pictures.resolve("shots/a.png", environment: env), "shots/a.png")
    }
}
