import Foundation
import NumeralRecognition
import NumeralVision
import XCTest

/// Locates the shared datasets the way the test command exports them.
enum TestData {
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func mnistDirectory() throws -> String {
        let env = ProcessInfo.processInfo.environment["NUMERAL_MNIST"]
        let fallback = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
        for dir in [env, fallback].compactMap({ $0 }) where MNISTDataset.existingFile(directory: dir, baseName: MNISTSplit.test.imagesFileName) != nil {
            return dir
        }
        throw XCTSkip("MNIST not found: set NUMERAL_MNIST or put it in ../shared/data/mnist")
    }

    static func penDigitsPath() throws -> String {
        let env = ProcessInfo.processInfo.environment["NUMERAL_PENDIGITS"]
        let fallback = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/pendigits/pendigits-orig-train.json").path
        for p in [env, fallback].compactMap({ $0 }) where FileManager.default.fileExists(atPath: p) { return p }
        throw XCTSkip("pen digits not found: set NUMERAL_PENDIGITS")
    }

    static func digiLeTsDirectory() throws -> String {
        let env = ProcessInfo.processInfo.environment["NUMERAL_DIGILETS"]
        let fallback = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/digilets").path
        for p in [env, fallback].compactMap({ $0 }) where FileManager.default.fileExists(atPath: p) { return p }
        throw XCTSkip("DigiLeTs not found: set NUMERAL_DIGILETS or put it in ../shared/data/digilets")
    }

    /// The shipped model, which every accuracy test must use.
    static func shippedModel() throws -> DigitModel {
        let path = repoRoot.appendingPathComponent("Models/\(ModelLocator.shippedFileName)").path
        return try DigitModel.load(weightsPath: path)
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
