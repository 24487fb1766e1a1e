import Foundation
import NumeralUI

/// Where the config and the kiosk PIN live, and reading/writing them.
public enum KioskFiles {
    /// `$XDG_CONFIG_HOME/numeral`, or `~/.config/numeral` when that is unset or relative
    /// (the XDG spec says relative values must be ignored).
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return (xdg as NSString).appendingPathComponent("numeral")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".config/numeral")
    }

    public static func configPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (configDirectory(environment: environment) as NSString).appendingPathComponent("config.json")
    }

    public static func pinPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (configDirectory(environment: environment) as NSString).appendingPathComponent("kiosk-pin.json")
    }

    /// Reads the config. A missing file means defaults unless the user named it (`required`).
    public static func readConfig(path: String, required: Bool) throws -> NumeralConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            if !required, !FileManager.default.fileExists(atPath: path) { return NumeralConfig() }
            throw KioskError.unreadableConfig(path: path, reason: FileManager.default.fileExists(atPath: path)
                                              ? "it cannot be read" : "it does not exist")
        }
        let config: NumeralConfig
        do {
            config = try JSONDecoder().decode(NumeralConfig.self, from: data)
        } catch {
            throw KioskError.unreadableConfig(path: path, reason: "it is not a JSON object like {\"kiosk\": true, \"idleTimeoutSeconds\": 90}")
        }
        if let idle = config.idleTimeoutSeconds, !(idle.isFinite && NumeralConfig.idleTimeoutRange.contains(idle)) {
            throw KioskError.unreadableConfig(path: path, reason: "idleTimeoutSeconds must be between 5 and 86400 (got \(idle))")
        }
        if let classes = config.classes, CharacterClasses(rawValue: classes) == nil {
            throw KioskError.unreadableConfig(path: path, reason: "classes must be \(CharacterClasses.choices) (got \"\(classes.prefix(40))\")")
        }
        return config
    }

    /// The stored PIN hash, or nil when no PIN was set.
    public static func readPIN(path: String) throws -> KioskPINRecord? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KioskError.unreadablePIN(path: path, reason: "it cannot be read")
        }
        do {
            return try JSONDecoder().decode(KioskPINRecord.self, from: data)
        } catch {
            throw KioskError.unreadablePIN(path: path, reason: "it is not a PIN record (algorithm, iterations, salt, hash)")
        }
    }

    /// Saves the PIN hash readable only by its owner (0600, directory 0700), replacing any
    /// previous one atomically.
    public static func writePIN(_ record: KioskPINRecord, path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw KioskError.cannotWritePIN(path: path, reason: "the directory \(directory) cannot be created")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(record) + Data("\n".utf8) } catch {
            throw KioskError.cannotWritePIN(path: path, reason: "the record cannot be encoded")
        }
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).partial"
        // Created 0600 from the start: there is never a moment the hash is readable by others.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KioskError.cannotWritePIN(path: path, reason: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { raw in write(fd, raw.baseAddress, raw.count) }
        let synced = fsync(fd) == 0
        fchmod(fd, 0o600)
        close(fd)
        guard written == data.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw KioskError.cannotWritePIN(path: path, reason: reason)
        }
    }
}
