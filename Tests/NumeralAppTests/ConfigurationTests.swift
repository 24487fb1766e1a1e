import XCTest
import NumeralUI
@testable import NumeralApp
@testable import NumeralSession

final class ConfigurationTests: XCTestCase {
    func testSizeAndThemeParsing() throws {
        XCTAssertEqual(try AppConfiguration.parseSize("1280x800"), UISize(width: 1280, height: 800))
        XCTAssertEqual(try AppConfiguration.parseSize("640X480"), UISize(width: 640, height: 480))
        for bad in ["", "12x", "x5", "0x10", "-3x4", "axb", "100000x10"] {
            XCTAssertThrowsError(try AppConfiguration.parseSize(bad), bad)
        }
        // Below the smallest laid-out window it says so instead of silently opening a bigger one.
        for small in ["639x480", "800x400"] {
            XCTAssertThrowsError(try AppConfiguration.parseSize(small), small) {
                XCTAssertTrue(String(describing: $0).contains("smallest window Numeral lays out, 640x480"), "\($0)")
            }
        }
        XCTAssertEqual(try AppConfiguration.parseTheme("Dark"), .dark)
        XCTAssertThrowsError(try AppConfiguration.parseTheme("blue")) {
            XCTAssertTrue(String(describing: $0).contains("light or dark"))
        }
    }

    func testFontIsFoundThroughFontconfigOrTheDebianPath() throws {
        let path = try FontLocator.locate(.regular)
        XCTAssertTrue(FileManager.default.isReadableFile(atPath: path), path)
        XCTAssertTrue(path.hasSuffix(".ttf") || path.hasSuffix(".otf"), path)
    }
}
