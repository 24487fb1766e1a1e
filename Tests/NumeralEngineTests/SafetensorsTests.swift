import XCTest
import Foundation
@testable import NumeralEngine

final class SafetensorsTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func network() -> Sequential {
        Sequential([Conv2D(inChannels: 1, outChannels: 2, kernel: 3), BatchNorm(channels: 2), Flatten(), Dense(inFeatures: 8, outFeatures: 3)])
    }

    func testRoundTripRestoresEveryTensorAndMetadata() throws {
        let a = network()
        Initialization.heNormal(a, seed: 9)
        a.namedBuffers[0].1[1] = 0.25
        let path = dir.appendingPathComponent("m.safetensors").path
        try Safetensors.write(a.namedTensors, metadata: ["format": "pt"], to: path)
        let (entries, meta) = try Safetensors.read(path: path)
        XCTAssertEqual(meta["format"], "pt")
        let b = network()
        try Safetensors.load(entries, into: b, path: path)
        for ((n1, t1), (n2, t2)) in zip(a.namedTensors, b.namedTensors) {
            XCTAssertEqual(n1, n2)
            XCTAssertEqual(t1.array, t2.array, n1)
        }
        XCTAssertEqual(Set(entries.keys), ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "3.weight", "3.bias"])
    }

    private func header(_ json: String, body: Int = 0) -> Data {
        var d = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { d.append(contentsOf: $0) }
        d.append(json.data(using: .utf8)!)
        d.append(Data(repeating: 0, count: body))
        return d
    }

    private func assertError(_ data: Data, _ matches: (ModelFileError) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Safetensors.parse(data, path: "x.safetensors"), file: file, line: line) { error in
            guard let e = error as? ModelFileError else { return XCTFail("wrong error \(error)", file: file, line: line) }
            XCTAssertTrue(matches(e), "unexpected \(e)", file: file, line: line)
            XCTAssertFalse(e.description.isEmpty)
        }
    }

    func testCorruptFilesGiveSpecificErrors() {
        assertError(Data([1, 2, 3])) { if case .tooSmall = $0 { return true }; return false }
        var huge = Data(); withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { huge.append(contentsOf: $0) }
        assertError(huge) { if case .headerTooLarge = $0 { return true }; return false }
        var short = Data(); withUnsafeBytes(of: UInt64(100).littleEndian) { short.append(contentsOf: $0) }; short.append(contentsOf: [0x7B])
        assertError(short) { if case .headerOutsideFile = $0 { return true }; return false }
        assertError(header("{not json")) { if case .invalidHeader = $0 { return true }; return false }
        assertError(header(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#, body: 2)) { if case .unsupportedDType = $0 { return true }; return false }
        assertError(header(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, body: 8)) { if case .offsetsOutOfRange = $0 { return true }; return false }
        assertError(header(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, body: 16)) { if case .sizeMismatch = $0 { return true }; return false }
        assertError(header(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, body: 12)) { if case .overlap = $0 { return true }; return false }
    }

    func testArchitectureMismatchIsReported() throws {
        let path = dir.appendingPathComponent("m.safetensors").path
        let other = Sequential([Conv2D(inChannels: 1, outChannels: 3, kernel: 3)])
        try Safetensors.write(other.namedTensors, to: path)
        let (entries, _) = try Safetensors.read(path: path)
        XCTAssertThrowsError(try Safetensors.load(entries, into: Sequential([Conv2D(inChannels: 1, outChannels: 2, kernel: 3)]), path: path)) {
            guard case .shapeMismatch(_, "0.weight", [2, 1, 3, 3], [3, 1, 3, 3])? = $0 as? ModelFileError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Safetensors.load(entries, into: network(), path: path)) {
            XCTAssertNotNil($0 as? ModelFileError)
        }
    }

    func testMissingFileIsUnreadable() {
        XCTAssertThrowsError(try Safetensors.read(path: dir.appendingPathComponent("none").path)) {
            guard case .unreadable? = $0 as? ModelFileError else { return XCTFail("\($0)") }
        }
    }
}
