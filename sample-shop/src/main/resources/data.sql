MERGE INTO product (id, name) KEY (id) VALUES (1, 'Teapot'), (2, 'Kettle'), (3, 'Mug');
