"""Every write of the quizzes app goes through a function in this package.

Services are keyword-only, typed and atomic; they raise ``quizzes.errors.QuizError`` subclasses.
"""
