// Example 2 of the source article: fine-tune a pretrained BERT for two labels with AdamW and
// cross-entropy — forward, loss, zeroGrad, backward, step — printing the loss of every epoch.
//
//   node dist/examples/02-bert-fine-tuning.js [bert-folder-or-hub-id] [learning-rate]
//
// Without an argument it fine-tunes Kotoba's shipped kotoba-bert-mini. The Python it mirrors:
//   model = BertForSequenceClassification.from_pretrained('bert-base-uncased', num_labels=2)
//   optimizer = AdamW(model.parameters(), lr=1e-5)
//   loss_fn = torch.nn.CrossEntropyLoss()
//   for epoch in range(num_epochs):
//       for batch in train_dataloader:
//           input_ids, attention_mask, labels = batch
//           outputs = model(input_ids, attention_mask=attention_mask)
//           loss = loss_fn(outputs.logits, labels)
//           optimizer.zero_grad()
//           loss.backward()
//           optimizer.step()
//       print(f"Epoch {epoch + 1}/{num_epochs} - Loss: {loss.item():.4f}")
import { AdamW, AutoTokenizer, BertForSequenceClassification, CrossEntropyLoss, resolveModelName, resolveModelPath, tensor } from '../src/index.js';

const folder = await resolveModelPath(resolveModelName(process.argv[2] ?? 'kotoba-bert-mini'));
const learningRate = Number(process.argv[3] ?? 1e-5);

// A labelled set small enough to read: 1 = positive, 0 = negative.
const trainData: [string, number][] = [
  ['What a wonderful day, I loved every minute.', 1],
  ['The food was cold and the service was rude.', 0],
  ['This phone works great and the battery lasts.', 1],
  ['I want my money back, it broke after a week.', 0],
  ['A beautiful film with a moving story.', 1],
  ['The plot was dull and the acting was worse.', 0],
  ['Friendly staff and excellent coffee.', 1],
  ['Terrible sound quality, do not buy it.', 0],
];
const batchSize = 4;
const numEpochs = 3;

const tokenizer = await AutoTokenizer.fromPretrained(folder);
const model = await BertForSequenceClassification.fromPretrained(folder, { numLabels: 2 });
model.train(); // dropout on, as model.train() in PyTorch
const optimizer = new AdamW(model.parameters(), { lr: learningRate });
const lossFn = new CrossEntropyLoss();

// The "train_dataloader": batches of (inputIds, attentionMask, labels).
const trainDataloader = [];
for (let i = 0; i < trainData.length; i += batchSize) {
  const rows = trainData.slice(i, i + batchSize);
  const encoded = tokenizer.call(rows.map(([text]) => text), { padding: true, truncation: true, returnTensors: 'kotoba' });
  trainDataloader.push([encoded.inputIds, encoded.attentionMask, tensor(rows.map(([, label]) => label), { dtype: 'int32' })] as const);
}

for (let epoch = 0; epoch < numEpochs; epoch++) {
  let loss;
  for (const batch of trainDataloader) {
    const [inputIds, attentionMask, labels] = batch;
    const outputs = model.forward({ inputIds, attentionMask });
    loss = lossFn.forward(outputs.logits, labels);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  console.log(`Epoch ${epoch + 1}/${numEpochs} - Loss: ${loss!.item().toFixed(4)}`);
}
