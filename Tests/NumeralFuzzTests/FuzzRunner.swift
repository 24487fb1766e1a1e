import Foundation
import XCTest

/// Settings from the environment, so CI and a developer chasing a case can tune the run:
///
/// * `NUMERAL_FUZZ_SECONDS`: total time over all readers (default 60)
/// * `NUMERAL_FUZZ_CASES`: a fixed number of cases per reader instead of a time budget
/// * `NUMERAL_FUZZ_SEED`: the seed (default 2026); the same seed gives the same cases
/// * `NUMERAL_FUZZ_CASE_SECONDS`: how long one case may take before it counts as a hang (default 5)
struct FuzzSettings {
    static let readerCount = 6

    var totalSeconds: Double
    var fixedCases: Int?
    var seed: UInt64
    var caseSeconds: Double

    static var fromEnvironment: FuzzSettings {
        let env = ProcessInfo.processInfo.environment
        return FuzzSettings(totalSeconds: env["NUMERAL_FUZZ_SECONDS"].flatMap(Double.init) ?? 60,
                            fixedCases: env["NUMERAL_FUZZ_CASES"].flatMap { Int($0) },
                            seed: env["NUMERAL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 2026,
                            caseSeconds: env["NUMERAL_FUZZ_CASE_SECONDS"].flatMap(Double.init) ?? 5)
    }

    var secondsPerReader: Double { totalSeconds / Double(Self.readerCount) }
}

/// Runs mutated inputs through one reader in this process, on a worker thread watched by the
/// test thread. A case that runs longer than the per-case budget is a hang: its input is saved,
/// the test fails, and the worker is abandoned. A crash kills the test process, which fails too.
/// Thrown errors are the expected outcome for bad input; their messages must be for people.
final class FuzzRunner {
    let name: String
    let seeds: [[UInt8]]
    let settings: FuzzSettings
    var mutator = FuzzMutator()
    /// Applied to three cases in four after mutating, e.g. to repair checksums so the mutation
    /// reaches the code behind them.
    var repair: (([UInt8]) -> [UInt8])?

    init(name: String, seeds: [[UInt8]], settings: FuzzSettings = .fromEnvironment) {
        precondition(!seeds.isEmpty)
        self.name = name
        self.seeds = seeds
        self.settings = settings
    }

    /// The input of case `index`: a seed, mutated; every 16th case is a seed as is.
    func input(_ index: Int) -> [UInt8] {
        var random = FuzzRandom(seed: settings.seed ^ FuzzRandom.hash(name) ^ (UInt64(index) &* 0x2545_F491_4F6C_DD1D))
        let seed = seeds[Int(random.next() % UInt64(seeds.count))]
        if index % 16 == 0 { return seed }
        let mutated = mutator.mutate(seed, seeds: seeds, random: &random)
        guard let repair, random.next() % 4 != 0 else { return mutated }
        return repair(mutated)
    }

    /// Shared between the worker and the watching test thread.
    private final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var _index = -1
        private var _started = Date()
        private var _finished = false
        private var _badMessages: [(Int, String)] = []
        private var _accepted = 0
        func accept() { lock.lock(); _accepted += 1; lock.unlock() }
        var accepted: Int { lock.lock(); defer { lock.unlock() }; return _accepted }

        func begin(_ index: Int) { lock.lock(); _index = index; _started = Date(); lock.unlock() }
        func finish() { lock.lock(); _finished = true; lock.unlock() }
        func badMessage(_ index: Int, _ text: String) { lock.lock(); if _badMessages.count < 5 { _badMessages.append((index, text)) }; lock.unlock() }
        var state: (index: Int, started: Date, finished: Bool) { lock.lock(); defer { lock.unlock() }; return (_index, _started, _finished) }
        var badMessages: [(Int, String)] { lock.lock(); defer { lock.unlock() }; return _badMessages }
    }

    /// Words that only a programmer could read; none may reach a user.
    static let internals = ["DecodingError", "Array<", "Dictionary<", "unkeyed", "NSCocoaErrorDomain", "Swift.", "Optional("]

    /// What a run found.
    struct Outcome {
        var cases = 0
        var accepted = 0
        var seconds = 0.0
        /// The case still running when its time was up, and for how long it had run.
        var hang: (index: Int, seconds: Double)?
        var badMessages: [(index: Int, text: String)] = []
    }

    /// Runs cases until the time budget (or the fixed count) is used up, failing the test on a
    /// hang or a message with programmer's text; returns the number of cases run.
    @discardableResult
    func run(file: StaticString = #filePath, line: UInt = #line, _ body: @escaping ([UInt8]) throws -> Void) -> Int {
        let outcome = execute(body)
        if let hang = outcome.hang {
            XCTFail("fuzz \(name): case \(hang.index) (seed \(settings.seed)) still running after \(String(format: "%.1f", hang.seconds)) s: "
                    + "a hang. Input saved to \(save(input(hang.index), index: hang.index))", file: file, line: line)
            return outcome.cases
        }
        for (index, text) in outcome.badMessages {
            XCTFail("fuzz \(name): case \(index) (seed \(settings.seed)) gave a message with programmer's text: \(text). "
                    + "Input saved to \(save(input(index), index: index))", file: file, line: line)
        }
        print(String(format: "fuzz %@: %d cases in %.1f s (seed %llu, %d read without error), no crash, no hang", name, outcome.cases,
                     outcome.seconds, settings.seed, outcome.accepted))
        FuzzTotals.shared.add(outcome.cases)
        return outcome.cases
    }

    /// Runs the cases on a worker thread while this thread watches the clock.
    func execute(_ body: @escaping ([UInt8]) throws -> Void) -> Outcome {
        let progress = Progress()
        let deadline = Date().addingTimeInterval(settings.secondsPerReader)
        let fixed = settings.fixedCases
        let worker = Thread { [self] in
            var index = 0
            while fixed.map({ index < $0 }) ?? (Date() < deadline) {
                let data = input(index)
                progress.begin(index)
                do {
                    try body(data)
                    progress.accept()
                } catch {
                    let text = "\(error)"
                    if text.isEmpty || Self.internals.contains(where: text.contains) { progress.badMessage(index, text) }
                }
                index += 1
            }
            progress.begin(index)
            progress.finish()
        }
        worker.stackSize = 64 << 20
        let start = Date()
        worker.start()
        var outcome = Outcome()
        while true {
            Thread.sleep(forTimeInterval: 0.01)
            let state = progress.state
            if state.finished { break }
            let elapsed = Date().timeIntervalSince(state.started)
            if elapsed > settings.caseSeconds {
                outcome.hang = (state.index, elapsed)
                outcome.cases = state.index
                outcome.seconds = Date().timeIntervalSince(start)
                return outcome
            }
        }
        outcome.cases = progress.state.index
        outcome.accepted = progress.accepted
        outcome.badMessages = progress.badMessages
        outcome.seconds = Date().timeIntervalSince(start)
        return outcome
    }

    private func save(_ bytes: [UInt8], index: Int) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-fuzz-\(name)-\(settings.seed)-\(index)").path
        try? Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Cases run over the whole test process, printed by the last reader's test.
final class FuzzTotals: @unchecked Sendable {
    static let shared = FuzzTotals()
    private let lock = NSLock()
    private var cases = 0
    private var readers = 0

    func add(_ n: Int) {
        lock.lock()
        cases += n
        readers += 1
        let (c, r) = (cases, readers)
        lock.unlock()
        print("fuzz total so far: \(c) cases over \(r) readers")
    }
}
