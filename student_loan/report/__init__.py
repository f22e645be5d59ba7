from . import student_loan_documents
