import NumeralUI

/// What the dashboard's "Improve model" button runs, and where its latest report comes from.
/// The app uses `RegistryImprover`; tests inject a fake so no real fine-tune runs.
public protocol DashboardImproving: Sendable {
    /// The newest stored improvement report, nil if there is none. Blocking: called off the UI thread.
    func latestReport() -> ImprovementReport?
    /// Runs one improvement to its end, calling `progress` with a phase and the fraction done
    /// (0...1) and stopping early once `shouldCancel` returns true. Blocking: called off the UI thread.
    func run(progress: @escaping (_ phase: String, _ fraction: Double) -> Void,
             shouldCancel: @escaping () -> Bool) -> ImprovementOutcome
}
