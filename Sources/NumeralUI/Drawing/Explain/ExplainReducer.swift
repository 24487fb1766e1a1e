/// The Explain view: shown or hidden by its button or E, and fed by the background queue with
/// explanations of every prediction while it is shown.
func toggleExplain(_ state: inout AppState) -> [AppEffect] {
    state.explainVisible.toggle()
    return requestExplanation(&state)
}

/// Asks for the on-screen prediction's explanations when the view is shown and they are not
/// there yet. One request at a time: while one runs, newer predictions wait for its reply, so
/// fast drawing explains the latest drawing instead of queueing up every one before it.
func requestExplanation(_ state: inout AppState) -> [AppEffect] {
    guard state.explainVisible, state.explanationInFlight == nil, let shown = state.prediction,
          !shown.display.digits.isEmpty, state.explanation?.revision != shown.revision else { return [] }
    state.explanationInFlight = shown.revision
    return [.explain(shown.display.digits.map(\.input), revision: shown.revision)]
}

func reduceExplanation(_ state: inout AppState, revision: Int, outcome: ExplanationOutcome) -> [AppEffect] {
    if state.explanationInFlight == revision { state.explanationInFlight = nil }
    // Explanations of a prediction that is gone would describe a digit no longer shown.
    guard let shown = state.prediction, shown.revision == revision else { return requestExplanation(&state) }
    switch outcome {
    case .success(let digits):
        state.explanation = ShownExplanation(revision: revision, digits: digits)
    case .failure(let message):
        state.message = StatusMessage("Could not explain the prediction: \(message)", .error)
    }
    return []
}
