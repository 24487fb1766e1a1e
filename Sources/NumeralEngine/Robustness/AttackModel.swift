/// What an attack needs of a classifier: its logits for a batch, and, right after, the gradient of
/// a weighted sum of those logits with respect to the batch.
///
/// `InputGradient` (the inference network with batch norm folded, exactly what predictions run)
/// is the one to attack when measuring a model; `TrainingAttackModel` attacks the network as it
/// trains (batch statistics, dropout), as adversarial training does.
public protocol AttackModel: AnyObject {
    /// Logits [N, classes] for a batch [N, C, H, W], owned by the model until the next call.
    func logits(_ input: Tensor) -> Tensor
    /// The gradient of Σ dy ⊙ logits with respect to the input of the last `logits` call, owned by
    /// the model until the next call. `dy` has the logits' shape.
    func inputGradient(_ dy: Tensor) -> Tensor
}

extension InputGradient: AttackModel {
    public func logits(_ input: Tensor) -> Tensor { forward(input) }
    public func inputGradient(_ dy: Tensor) -> Tensor { network.backward(dy) }
}
