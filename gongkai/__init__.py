"""gongkai (公开): government information disclosure work under the 2019 Regulations."""
