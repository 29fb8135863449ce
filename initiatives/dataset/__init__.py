"""The curated dataset: YAML files under data/ read, validated, synced and exported.

reader.read_dataset(path) validates every file and returns a Dataset or raises
DatasetError listing every problem with file, line, record and field.
writer.write_dataset(dataset) makes the database equal to it in one transaction.
exporter.export_dataset(path) writes the database back in the canonical form.
"""
