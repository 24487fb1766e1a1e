import Foundation

/// Finds the model to use, whether Numeral runs from the repository, from an installed prefix or
/// with an explicit path. The first existing candidate wins.
public struct ModelLocator: Sendable {
    public static let shippedFileName = "mnist-cnn.safetensors"

    public var explicitPath: String?
    public var environment: [String: String]
    public var executablePath: String
    public var currentDirectory: String
    /// A model the user chose or `improve` adopted, recorded by the model registry.
    public var activeModelPath: String?
    /// The characters wanted. The digits come from `$NUMERAL_MODEL`, the active model or the
    /// shipped `mnist-cnn.safetensors`; letters and both from the shipped `letters-cnn` and
    /// `alphanumeric-cnn` (with `letters-pen` and `alphanumeric-pen` for drawings). An explicit
    /// path always wins; the recognizer checks that what it loads reads this set.
    public var classes: CharacterClasses = .digits

    public init(explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                executablePath: String = ModelLocator.runningExecutablePath, currentDirectory: String = FileManager.default.currentDirectoryPath,
                activeModelPath: String? = nil) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.executablePath = executablePath
        self.currentDirectory = currentDirectory
        self.activeModelPath = activeModelPath
    }

    /// The running program's file. argv[0] is only the name when the program was started through
    /// $PATH (`numeral` after `apt install` or `make install`), which pointed the search at the
    /// current directory; the kernel's /proc/self/exe is the file itself.
    public static var runningExecutablePath: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), path.hasPrefix("/") {
            return path
        }
        return CommandLine.arguments.first ?? ""
    }

    /// The shipped image model's file name for a character set.
    public static func shippedFileName(for classes: CharacterClasses) -> String {
        classes == .digits ? shippedFileName : "\(classes.rawValue)-cnn.safetensors"
    }

    /// The shipped pen-trajectory model's file name for a character set.
    public static func trajectoryFileName(for classes: CharacterClasses) -> String {
        classes == .digits ? PenTrajectoryModel.shippedFileName : "\(classes.rawValue)-pen.safetensors"
    }

    public var candidates: [String] {
        var list: [String] = []
        if let explicitPath { return [explicitPath] }
        let shippedFileName = Self.shippedFileName(for: classes)
        if classes == .digits {
            if let env = environment["NUMERAL_MODEL"], !env.isEmpty { list.append(env) }
            if let activeModelPath { list.append(activeModelPath) }
        }
        let exe = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        // Installed: PREFIX/bin/numeral -> PREFIX/share/numeral/Models
        list.append(exe.deletingLastPathComponent().appendingPathComponent("share/numeral/Models/\(shippedFileName)").path)
        // Built in the repository: REPO/.build/<config>/numeral -> REPO/Models
        var dir = exe
        for _ in 0..<4 {
            list.append(dir.appendingPathComponent("Models/\(shippedFileName)").path)
            dir = dir.deletingLastPathComponent()
        }
        list.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("Models/\(shippedFileName)").path)
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    public func locate() throws -> String {
        let fm = FileManager.default
        if let explicitPath {
            guard fm.fileExists(atPath: explicitPath) else { throw RecognitionError.modelNotFound(searched: [explicitPath]) }
            return explicitPath
        }
        let list = candidates
        guard let found = list.first(where: { fm.fileExists(atPath: $0) }) else {
            throw RecognitionError.modelNotFound(searched: list)
        }
        return found
    }

    /// The pen-trajectory model for drawings that goes with the image model at `imagePath`:
    /// `$NUMERAL_TRAJECTORY_MODEL` if set ("off" for none), else `pen-trajectory.safetensors`
    /// beside the image model, else in the shipped Models folder (installed or in the
    /// repository). Nil when there is none: drawings then take the image path alone.
    /// For letters and both, `letters-pen.safetensors` / `alphanumeric-pen.safetensors` the same
    /// way (the variable is for the digits' model only).
    public func trajectoryPath(besideImageModel imagePath: String?) -> String? {
        companionPath(named: Self.trajectoryFileName(for: classes), variable: classes == .digits ? "NUMERAL_TRAJECTORY_MODEL" : nil,
                      besideImageModel: imagePath)
    }

    /// The picture model for pictures and photos that goes with the image model at `imagePath`,
    /// found the same way: `$NUMERAL_PICTURE_MODEL` ("off" for none), else
    /// `picture-scans.safetensors` beside the image model or in the shipped Models folder. Nil
    /// when there is none: pictures then take the image model alone.
    /// The picture model reads digits: letters have none.
    public func picturePath(besideImageModel imagePath: String?) -> String? {
        guard classes == .digits else { return nil }
        return companionPath(named: Self.pictureModelFileName, variable: "NUMERAL_PICTURE_MODEL", besideImageModel: imagePath)
    }

    public static let pictureModelFileName = "picture-scans.safetensors"

    private func companionPath(named name: String, variable: String?, besideImageModel imagePath: String?) -> String? {
        if let variable, let env = environment[variable], !env.isEmpty {
            return env == "off" ? nil : env
        }
        var list: [String] = []
        if let imagePath {
            list.append(URL(fileURLWithPath: imagePath).deletingLastPathComponent().appendingPathComponent(name).path)
        }
        var shipped = self
        shipped.explicitPath = nil
        shipped.activeModelPath = nil
        shipped.environment = [:]
        list += shipped.candidates.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent(name).path }
        return list.first { FileManager.default.fileExists(atPath: $0) }
    }
}
