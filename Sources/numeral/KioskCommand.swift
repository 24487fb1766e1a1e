import ArgumentParser
import Foundation
import NumeralApp
import NumeralSession
import NumeralUI

/// `numeral kiosk ...`: the admin PIN that guards quitting and settings in kiosk mode.
struct KioskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Manage kiosk mode (start it with `numeral app --kiosk`).",
        subcommands: [SetPIN.self, Status.self])

    struct SetPIN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-pin",
            abstract: "Set the admin PIN (4-12 digits) that quits or reconfigures a running kiosk.",
            discussion: "The PIN is stored only as a salted PBKDF2-HMAC-SHA256 hash in $XDG_CONFIG_HOME/numeral/kiosk-pin.json (mode 0600).")

        @Flag(name: .customLong("pin-stdin"), help: "Read the PIN from the first line of standard input (for scripts).")
        var pinStdin = false

        @Option(help: .hidden) var iterations: Int = KioskPIN.defaultIterations

        func run() throws {
            try reportingFailures {
                let pin: String
                if pinStdin {
                    guard let line = readLine(strippingNewline: true) else {
                        throw UserFacingError("--pin-stdin: standard input is empty; pipe the PIN in, e.g. echo 2468 | numeral kiosk set-pin --pin-stdin")
                    }
                    pin = line.trimmingCharacters(in: .whitespaces)
                } else {
                    guard isatty(STDIN_FILENO) == 1 else {
                        throw UserFacingError("standard input is not a terminal: use --pin-stdin to read the PIN from it")
                    }
                    pin = try TerminalSecret.read(prompt: "New admin PIN (4-12 digits): ")
                    try KioskPIN.validate(pin)
                    let again = try TerminalSecret.read(prompt: "Repeat the PIN: ")
                    guard again == pin else { throw KioskPINError.mismatch }
                }
                let record = try KioskPIN.makeRecord(pin: pin, iterations: iterations)
                let path = KioskFiles.pinPath()
                try KioskFiles.writePIN(record, path: path)
                print("Saved the admin PIN (hashed) to \(path). Start the kiosk with `numeral app --kiosk`.")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show where the kiosk's config and PIN live and whether a PIN is set.")

        func run() throws {
            try reportingFailures {
                let configPath = KioskFiles.configPath()
                let config = try KioskFiles.readConfig(path: configPath, required: false)
                let pin = try KioskFiles.readPIN(path: KioskFiles.pinPath())
                print("Config:       \(configPath)\(FileManager.default.fileExists(atPath: configPath) ? "" : " (absent: defaults)")")
                print("Kiosk:        \(config.kiosk == true ? "on" : "off") (numeral app --kiosk turns it on)")
                print("Idle timeout: \(Int(config.idleTimeoutSeconds ?? KioskSettings().idleTimeout)) s")
                print("Admin PIN:    \(pin.map { "set (\($0.algorithm), \($0.iterations) iterations)" } ?? "not set: run `numeral kiosk set-pin`")")
            }
        }
    }
}

/// Reads a line from the terminal with echo off, restoring the terminal even on failure.
enum TerminalSecret {
    static func read(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw UserFacingError("cannot read the terminal settings") }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw UserFacingError("no PIN entered") }
        return line.trimmingCharacters(in: .whitespaces)
    }
}
