/// A network attacked as it trains: forward passes in training mode (batch norm on the batch's
/// own statistics, dropout on), so adversarial training attacks the very function whose loss it
/// then minimizes, as Madry et al. and Wong et al. do (their models stay in training mode while
/// the attack runs).
///
/// While attacking, convolutions skip their weight gradients (only the input's are needed); the
/// first convolution, which plain training never asks for an input gradient, is told to compute
/// one. `finish()` restores the settings for the training step. Batch norm's running statistics
/// are updated by the attack's forward passes too, as in those implementations.
public final class TrainingAttackModel: AttackModel {
    public let network: Sequential
    private let convolutions: [Conv2D]
    private var saved: [(input: Bool, parameters: Bool)] = []

    public init(_ network: Sequential) {
        self.network = network
        convolutions = TrainingAttackModel.convolutions(in: network)
    }

    private static func convolutions(in layer: Layer) -> [Conv2D] {
        switch layer {
        case let conv as Conv2D: return [conv]
        case let seq as Sequential: return seq.layers.flatMap { convolutions(in: $0) }
        case let res as Residual: return convolutions(in: res.body) + (res.shortcut.map { convolutions(in: $0) } ?? [])
        default: return []
        }
    }

    /// Switches the convolutions to input gradients only; called before an attack.
    public func begin() {
        if saved.isEmpty { saved = convolutions.map { ($0.computesInputGradient, $0.computesParameterGradients) } }
        for conv in convolutions {
            conv.computesInputGradient = true
            conv.computesParameterGradients = false
        }
    }

    /// Restores the convolutions' gradient settings for the training step.
    public func finish() {
        for (conv, s) in zip(convolutions, saved) {
            conv.computesInputGradient = s.input
            conv.computesParameterGradients = s.parameters
        }
        saved = []
    }

    public func logits(_ input: Tensor) -> Tensor { network.forward(input, training: true) }
    public func inputGradient(_ dy: Tensor) -> Tensor { network.backward(dy) }
}
