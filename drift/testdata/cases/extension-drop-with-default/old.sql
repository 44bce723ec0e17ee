CREATE EXTENSION "uuid-ossp";
CREATE TABLE public.t (id uuid PRIMARY KEY DEFAULT public.uuid_generate_v4(), v text);
