"""The data·inclusion importer (schema v1): the open-data export (JSON, CSV) or the API → cards."""

from .api import ApiError, ApiSource, read_api
from .map import SOURCE, card_id, to_card
from .pipeline import Inputs, run_import
from .read import RawRecord, ReadProblem, read_file
from .select import Located, locate
from .validate import validate_service, validate_structure

__all__ = [
    "SOURCE", "ApiError", "ApiSource", "Inputs", "Located", "RawRecord", "ReadProblem", "card_id", "locate",
    "read_api", "read_file", "run_import", "to_card", "validate_service", "validate_structure",
]
