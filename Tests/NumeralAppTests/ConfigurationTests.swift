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
