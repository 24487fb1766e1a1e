import Foundation

// The improve flow of `reduceDashboard`: start, progress, cancel and the report. The fine-tune
// itself runs in the window layer (the `.startImprovement` effect) and reports back as events.

func improveTapped(_ state: inout DashboardState) -> [DashboardEffect] {
    if var run = state.improvement {
        // The same button cancels; pressing it again while cancelling changes nothing.
        guard !run.cancelRequested else { return [] }
        run.cancelRequested = true
        state.improvement = run
        state.message = StatusMessage("Cancelling the improvement…", .info)
        return [.cancelImprovement]
    }
    guard adminActionAllowed(&state) else { return [] }
    state.improvement = ImprovementRun(phase: "Starting", fraction: 0)
    state.improvementProblem = nil
    state.message = StatusMessage("Improving the model from your corrections; the app keeps working meanwhile.", .info)
    return [.startImprovement]
}

func improvementProgressed(_ state: inout DashboardState, phase: String, fraction: Double) -> [DashboardEffect] {
    // Progress posted just before a run ended can arrive after its result: nothing to show then.
    guard var run = state.improvement else { return [] }
    run.phase = phase
    // The bar never runs backwards, and a NaN from a broken run cannot reach the renderer.
    if fraction.isFinite { run.fraction = max(run.fraction, min(max(fraction, 0), 1)) }
    state.improvement = run
    return []
}

func improvementFinished(_ state: inout DashboardState, _ outcome: ImprovementOutcome) -> [DashboardEffect] {
    guard state.improvement != nil else { return [] }
    state.improvement = nil
    switch outcome {
    case .finished(let summary):
        state.lastImprovement = summary
        if summary.adopted {
            state.message = StatusMessage("Adopted: the app now uses \(summary.candidateID) (undo with `numeral model rollback`).", .success)
            // The model tile and training curves describe the active model, which just changed.
            return reloadDashboard(&state)
        }
        state.message = StatusMessage("Kept aside: \(summary.candidateID) is saved but \(summary.parentID) stays active.", .info)
        return []
    case .cancelled(let message):
        state.message = StatusMessage(message, .info)
        return []
    case .failed(let message):
        state.improvementProblem = message
        state.message = StatusMessage("Improving failed: see the Model improvement card.", .error)
        return []
    }
}
