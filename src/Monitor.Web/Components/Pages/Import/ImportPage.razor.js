// Saves a stream from the server as a file (the rejected rows of an import).
export async function download(fileName, streamReference) {
  const blob = new Blob([await streamReference.arrayBuffer()], { type: "text/csv" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
