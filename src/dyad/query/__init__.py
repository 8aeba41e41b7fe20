"""Query stage: answers, timelines and briefings read from the store."""
